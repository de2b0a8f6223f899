#include "dev/virtio_blk.h"

#include "dev/virtio.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLK_DEVICE_ID 2
#define QUEUE_MAX 128
#define SEG_MAX (QUEUE_MAX - 2)	/* a request is header + data + status */
#define SECTOR 512
#define BOUNCE_BYTES (64 * 1024)
#define ID_BYTES 20
#define HDR_BYTES 16
#define CONFIG_BYTES 64

#define F_SEG_MAX 2
#define F_RO 5
#define F_BLK_SIZE 6
#define F_FLUSH 9

enum { T_IN = 0, T_OUT = 1, T_FLUSH = 4, T_GET_ID = 8 };
enum { S_OK = 0, S_IOERR = 1, S_UNSUPP = 2 };

/* Config space offsets (struct virtio_blk_config). */
enum { CFG_CAPACITY = 0, CFG_SEG_MAX = 12, CFG_BLK_SIZE = 20 };

struct virtio_blk {
	struct virtio *vio;
	struct virtio_ops ops;
	int fd;
	bool readonly;
	uint64_t sectors;
	char id[ID_BYTES];	/* GET_ID answer, zero-padded */
	char path[256];		/* the image, for messages (truncated if longer) */
	uint8_t config[CONFIG_BYTES];
	struct virtio_chain chain;
	uint8_t bounce[BOUNCE_BYTES];
};

static bool pread_all(int fd, uint8_t *p, size_t n, uint64_t pos)
{
	while (n) {
		ssize_t r = pread(fd, p, n, (off_t)pos);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = 0;	/* the image shrank under us */
			return false;
		}
		p += r;
		n -= (size_t)r;
		pos += (uint64_t)r;
	}
	return true;
}

static bool pwrite_all(int fd, const uint8_t *p, size_t n, uint64_t pos)
{
	while (n) {
		ssize_t r = pwrite(fd, p, n, (off_t)pos);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO;
			return false;
		}
		p += r;
		n -= (size_t)r;
		pos += (uint64_t)r;
	}
	return true;
}

/* One bounce-buffer step of a transfer; false on a guest-memory or host I/O error. */
static bool step(struct virtio_blk *b, const struct virtio_chain *c, bool write,
		 uint64_t pos, uint64_t done, size_t k)
{
	if (write) {
		if (virtio_chain_read(b->vio, c, HDR_BYTES + done, b->bounce, k) != k)
			return false;
		if (!pwrite_all(b->fd, b->bounce, k, pos + done)) {
			virtio_warn(b->vio, "%s: write at byte %llu: %s; the guest gets an I/O error",
				    b->path, (unsigned long long)(pos + done), strerror(errno));
			return false;
		}
		return true;
	}
	if (!pread_all(b->fd, b->bounce, k, pos + done)) {
		virtio_warn(b->vio, "%s: read at byte %llu: %s; the guest gets an I/O error", b->path,
			    (unsigned long long)(pos + done),
			    errno ? strerror(errno) : "the image ends before it (shrank since umbra opened it)");
		return false;
	}
	return virtio_chain_write(b->vio, c, done, b->bounce, k) == k;
}

/* IN or OUT of `len` data bytes at `sector`; *written counts bytes given to the guest. */
static uint8_t transfer(struct virtio_blk *b, const struct virtio_chain *c, uint64_t sector,
			uint64_t len, bool write, uint32_t *written)
{
	if (len % SECTOR || len >= UINT32_MAX)
		return S_IOERR;
	if (sector > b->sectors || len / SECTOR > b->sectors - sector)
		return S_IOERR;
	uint64_t pos = sector * SECTOR;	/* cannot overflow: sector <= file size / 512 */
	if (!write && !virtio_chain_writable(b->vio, c, 0, len))
		return S_IOERR; /* a page devices may not write: nothing is written */
	for (uint64_t done = 0; done < len;) {
		size_t k = len - done < BOUNCE_BYTES ? (size_t)(len - done) : BOUNCE_BYTES;
		if (!step(b, c, write, pos, done, k))
			return S_IOERR;
		done += k;
		if (!write)
			*written = (uint32_t)done;
	}
	return S_OK;
}

static uint8_t flush(struct virtio_blk *b)
{
	if (b->readonly)
		return S_OK;
	if (fdatasync(b->fd) == 0)
		return S_OK;
	virtio_warn(b->vio, "flush: %s", strerror(errno));
	return S_IOERR;
}

static uint8_t execute(struct virtio_blk *b, const struct virtio_chain *c, uint32_t *written)
{
	uint8_t hdr[HDR_BYTES];
	if (virtio_chain_read(b->vio, c, 0, hdr, sizeof(hdr)) != sizeof(hdr))
		return S_IOERR;
	uint32_t type = (uint32_t)ld_le(hdr, 4);
	uint64_t sector = ld_le(hdr + 8, 8);
	uint64_t in_len = c->write_bytes - 1, out_len = c->read_bytes - HDR_BYTES;

	switch (type) {
	case T_IN:
		return transfer(b, c, sector, in_len, false, written);
	case T_OUT:
		return b->readonly ? S_IOERR : transfer(b, c, sector, out_len, true, written);
	case T_FLUSH:
		return flush(b);
	case T_GET_ID:
		*written = (uint32_t)virtio_chain_write(b->vio, c, 0, b->id,
						       in_len < ID_BYTES ? in_len : ID_BYTES);
		return S_OK;
	}
	return S_UNSUPP;
}

static void handle(struct virtio_blk *b, const struct virtio_chain *c)
{
	uint32_t written = 0;
	if (c->read_bytes < HDR_BYTES || c->write_bytes < 1) {
		virtio_warn(b->vio, "request without header or status byte dropped");
		virtio_push(b->vio, 0, c, 0);
		return;
	}
	uint8_t status = execute(b, c, &written);
	if (virtio_chain_write(b->vio, c, c->write_bytes - 1, &status, 1) != 1)
		written = 0;
	else
		written++;
	virtio_push(b->vio, 0, c, written);
}

static void blk_notify(void *dev, unsigned q)
{
	struct virtio_blk *b = dev;
	/* At most queue-size chains: the guest does not run while we do. */
	while (virtio_pop(b->vio, q, &b->chain))
		handle(b, &b->chain);
	virtio_signal(b->vio, q);
}

static void blk_config_read(void *dev, unsigned off, void *buf, unsigned len)
{
	struct virtio_blk *b = dev;
	memcpy(buf, b->config + off, len);
}

/* Opens and locks the image; returns the fd or -1 with err filled in. */
static int open_image(const char *path, bool readonly, uint64_t *size, char *err, size_t errlen)
{
	struct stat st;
	int fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))) {
		snprintf(err, errlen, "%s: not a regular file or block device", path);
		goto fail;
	}
	if (flock(fd, (readonly ? LOCK_SH : LOCK_EX) | LOCK_NB) && errno == EWOULDBLOCK) {
		snprintf(err, errlen, "%s: in use by another process (locked)", path);
		goto fail;
	}
	off_t end = lseek(fd, 0, SEEK_END);
	if (end < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	*size = (uint64_t)end;
	return fd;
fail:
	close(fd);
	return -1;
}

static void fill_identity(struct virtio_blk *b, const char *path)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s", path);
	const char *name = basename(tmp);
	memcpy(b->id, name, strnlen(name, ID_BYTES));	/* zero-padded; no NUL if 20 bytes */
	st_le(b->config + CFG_CAPACITY, b->sectors, 8);
	st_le(b->config + CFG_SEG_MAX, SEG_MAX, 4);
	st_le(b->config + CFG_BLK_SIZE, SECTOR, 4);
	b->ops = (struct virtio_ops){
		.name = "blk", .device_id = BLK_DEVICE_ID,
		.features = 1ull << F_SEG_MAX | 1ull << F_BLK_SIZE | 1ull << F_FLUSH |
			    (b->readonly ? 1ull << F_RO : 0),
		.num_queues = 1, .queue_max = QUEUE_MAX, .config_size = CONFIG_BYTES,
		.config_read = blk_config_read, .notify = blk_notify,
	};
}

struct virtio_blk *virtio_blk_new(struct bus *bus, struct pmap *mem, gpa_t base,
				  struct irq_line irq, const char *path, bool readonly,
				  char *err, size_t errlen)
{
	uint64_t size;
	int fd = open_image(path, readonly, &size, err, errlen);
	if (fd < 0)
		return NULL;
	struct virtio_blk *b = calloc(1, sizeof(*b));
	if (!b) {
		snprintf(err, errlen, "%s: out of memory", path);
		close(fd);
		return NULL;
	}
	if (size % SECTOR)
		log_warn("%s: size %llu is not a multiple of 512; the last %llu bytes are not used",
			 path, (unsigned long long)size, (unsigned long long)(size % SECTOR));
	b->fd = fd;
	b->readonly = readonly;
	b->sectors = size / SECTOR;
	snprintf(b->path, sizeof(b->path), "%s", path);
	fill_identity(b, path);
	b->vio = virtio_new(bus, mem, base, irq, &b->ops, b, err, errlen);
	if (!b->vio) {
		close(fd);
		free(b);
		return NULL;
	}
	return b;
}

void virtio_blk_free(struct virtio_blk *b)
{
	if (!b)
		return;
	virtio_free(b->vio);
	close(b->fd);
	free(b);
}
