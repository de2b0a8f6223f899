#include "dev/ttyout.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

void ttyout_init(struct ttyout *t, int fd)
{
	memset(t, 0, sizeof(*t));
	t->fd = fd;
}

/* write(2) that retries on EINTR; 0 bytes written counts as "full". */
static int write_some(int fd, const uint8_t *p, size_t n, size_t *done)
{
	ssize_t r;
	do
		r = write(fd, p, n);
	while (r < 0 && errno == EINTR);
	if (r > 0) {
		*done = (size_t)r;
		return 0;
	}
	if (r == 0 || errno == EAGAIN || errno == EWOULDBLOCK)
		return -EAGAIN;
	return -errno;
}

/* Counts n dropped bytes; a hard error also drops what was pending. */
static void lose(struct ttyout *t, size_t n, int err)
{
	if (err != EAGAIN) {
		n += t->len;
		t->len = 0;
		t->head = 0;
	}
	t->dropped += n;
	if (!t->warned && err == EAGAIN)
		log_warn("console output to fd %d is blocked; dropping output", t->fd);
	else if (!t->warned)
		log_warn("console output to fd %d: %s; dropping output", t->fd, strerror(err));
	t->warned = true;
}

/* 0 when the ring is empty, -EAGAIN when the fd is full, -errno on error. */
static int drain(struct ttyout *t)
{
	while (t->len) {
		size_t chunk = TTYOUT_RING - t->head, done = 0;
		if (chunk > t->len)
			chunk = t->len;
		int e = write_some(t->fd, t->ring + t->head, chunk, &done);
		if (e)
			return e;
		t->head = (t->head + done) % TTYOUT_RING;
		t->len -= done;
	}
	t->head = 0;
	return 0;
}

static size_t enqueue(struct ttyout *t, const uint8_t *p, size_t n)
{
	size_t k = 0;
	while (k < n && t->len < TTYOUT_RING) {
		t->ring[(t->head + t->len) % TTYOUT_RING] = p[k++];
		t->len++;
	}
	return k;
}

static bool wait_writable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	int r;
	do
		r = poll(&pfd, 1, TTYOUT_STALL_MS);
	while (r < 0 && errno == EINTR);
	return r > 0;
}

void ttyout_write(struct ttyout *t, const void *buf, size_t n)
{
	const uint8_t *p = buf;
	if (t->fd < 0)
		return;
	while (n) {
		int e = drain(t);
		if (e == 0) {
			size_t done = 0;
			e = write_some(t->fd, p, n, &done);
			if (e == 0) {
				p += done;
				n -= done;
				continue;
			}
		}
		if (e != -EAGAIN) {
			lose(t, n, -e);
			return;
		}
		size_t k = enqueue(t, p, n);
		p += k;
		n -= k;
		if (n && !wait_writable(t->fd)) {
			lose(t, n, EAGAIN);
			return;
		}
	}
}

bool ttyout_flush(struct ttyout *t)
{
	if (t->fd < 0)
		return true;
	int e = drain(t);
	if (e && e != -EAGAIN)
		lose(t, 0, -e);
	return t->len == 0;
}
