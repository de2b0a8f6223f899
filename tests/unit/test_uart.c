/* Host unit test of the NS16550A UART, driven through the bus as Linux's 8250 driver does. */
#include "check.h"
#include "dev/ttyout.h"
#include "dev/uart.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#define BASE 0x10000000ull

struct env {
	struct bus bus;
	const struct mmio_region *r;
	struct uart *u;
	int pipe[2];
	bool level;
	int edges;
};

static void set_level(void *opaque, unsigned irq, bool level)
{
	struct env *e = opaque;
	(void)irq;
	e->level = level;
	e->edges++;
}

static uint8_t rd(struct env *e, unsigned off)
{
	return (uint8_t)bus_read(e->r, BASE + off, 1);
}

static void wr(struct env *e, unsigned off, uint8_t v)
{
	bus_write(e->r, BASE + off, v, 1);
}

static size_t drain(struct env *e, char *buf, size_t n)
{
	ssize_t k = read(e->pipe[0], buf, n);
	return k > 0 ? (size_t)k : 0;
}

static void setup(struct check_ctx *c, struct env *e)
{
	char err[128];
	memset(e, 0, sizeof(*e));
	CHECK(c, pipe2(e->pipe, O_NONBLOCK) == 0);
	struct irq_line irq = { .set = set_level, .opaque = e, .irq = 10 };
	e->u = uart_new(&e->bus, BASE, irq, e->pipe[1], err, sizeof(err));
	CHECK(c, e->u != NULL);
	e->r = bus_find(&e->bus, BASE, 1);
	CHECK(c, e->r != NULL);
}

static void teardown(struct env *e)
{
	uart_free(e->u);
	close(e->pipe[0]);
	close(e->pipe[1]);
}

static void test_bare_metal(struct check_ctx *c)
{
	struct env e;
	char buf[16];
	setup(c, &e);
	CHECK(c, rd(&e, 5) == 0x60);	/* THRE | TEMT */
	wr(&e, 0, 'H');
	wr(&e, 0, 'i');
	CHECK(c, drain(&e, buf, sizeof(buf)) == 2 && memcmp(buf, "Hi", 2) == 0);
	CHECK(c, !e.level && e.edges == 0);	/* no interrupt enabled, none raised */
	CHECK(c, rd(&e, 2) == 0x01);
	/* A 32-bit store is split into bytes by the bus: only offset 0 transmits. */
	bus_write(e.r, BASE, 'X', 4);
	CHECK(c, drain(&e, buf, sizeof(buf)) == 1 && buf[0] == 'X');
	CHECK(c, rd(&e, 8) == 0 && rd(&e, 0xff) == 0);
	teardown(&e);
}

static void test_probe(struct check_ctx *c)
{
	struct env e;
	setup(c, &e);
	/* autoconfig's IER scratch test */
	wr(&e, 1, 0x00);
	CHECK(c, rd(&e, 1) == 0x00);
	wr(&e, 1, 0x0f);
	CHECK(c, rd(&e, 1) == 0x0f);
	wr(&e, 1, 0x00);
	/* loopback test: RTS|OUT2 read back as CTS|DCD */
	wr(&e, 4, 0x10 | 0x0a);
	CHECK(c, (rd(&e, 6) & 0xf0) == 0x90);
	wr(&e, 4, 0x1f);
	CHECK(c, (rd(&e, 6) & 0xf0) == 0xf0);
	wr(&e, 4, 0x00);
	CHECK(c, (rd(&e, 6) & 0xf0) == 0xb0);	/* CTS, DSR, DCD of a ready peer */
	/* scratch register */
	wr(&e, 7, 0xa5);
	CHECK(c, rd(&e, 7) == 0xa5);
	/* FIFO enable shows in IIR */
	wr(&e, 2, 0x01);
	CHECK(c, rd(&e, 2) == 0xc1);
	teardown(&e);
}

static void test_thre(struct check_ctx *c)
{
	struct env e;
	char buf[8];
	setup(c, &e);
	/* The 8250 startup THRE test: enabling THRI with THR empty raises it ... */
	wr(&e, 1, 0x02);
	CHECK(c, e.level);
	CHECK(c, (rd(&e, 2) & 0x0f) == 0x02);
	/* ... reading IIR acknowledges it ... */
	CHECK(c, !e.level);
	CHECK(c, (rd(&e, 2) & 0x0f) == 0x01);
	/* ... and re-enabling raises it again. */
	wr(&e, 1, 0x00);
	wr(&e, 1, 0x02);
	CHECK(c, e.level && (rd(&e, 2) & 0x0f) == 0x02);
	CHECK(c, !e.level);
	/* Each THR write re-arms the interrupt (the byte leaves at once). */
	wr(&e, 0, 'a');
	CHECK(c, e.level);
	wr(&e, 1, 0x00);	/* __stop_tx */
	CHECK(c, !e.level);
	CHECK(c, drain(&e, buf, sizeof(buf)) == 1);
	teardown(&e);
}

static void test_rx(struct check_ctx *c)
{
	struct env e;
	uint8_t in[20];
	for (unsigned i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)('a' + i);
	setup(c, &e);
	/* FIFOs off: a one-byte holding register. */
	CHECK(c, uart_receive(e.u, in, 3) == 1);
	CHECK(c, (rd(&e, 5) & 0x01) == 0x01);
	CHECK(c, rd(&e, 0) == 'a');
	CHECK(c, (rd(&e, 5) & 0x01) == 0);
	/* FIFOs on: 16 bytes. */
	wr(&e, 2, 0x07);
	CHECK(c, uart_receive(e.u, in, sizeof(in)) == 16);
	CHECK(c, uart_receive(e.u, in, sizeof(in)) == 0);
	CHECK(c, !e.level);
	wr(&e, 1, 0x01 | 0x02);	/* RDI and THRI */
	CHECK(c, e.level && rd(&e, 2) == 0xc4);	/* received data outranks THR empty */
	bool ok = true;
	for (unsigned i = 0; i < 16; i++)
		ok &= rd(&e, 0) == in[i];
	CHECK(c, ok);
	CHECK(c, (rd(&e, 5) & 0x01) == 0);
	CHECK(c, rd(&e, 2) == 0xc2);	/* now THR empty shows */
	CHECK(c, rd(&e, 2) == 0xc1 && !e.level);
	/* FCR "clear receive FIFO" drops pending bytes. */
	CHECK(c, uart_receive(e.u, in, 5) == 5);
	CHECK(c, e.level);
	wr(&e, 2, 0x03);
	CHECK(c, (rd(&e, 5) & 0x01) == 0 && !e.level);
	/* Reading an empty RBR is harmless. */
	CHECK(c, rd(&e, 0) == 0);
	teardown(&e);
}

static void test_dlab_loopback(struct check_ctx *c)
{
	struct env e;
	char buf[8];
	setup(c, &e);
	wr(&e, 3, 0x83);	/* DLAB, 8N1 */
	wr(&e, 0, 0x01);
	wr(&e, 1, 0x00);
	CHECK(c, rd(&e, 0) == 0x01 && rd(&e, 1) == 0x00);
	CHECK(c, drain(&e, buf, sizeof(buf)) == 0);	/* DLL is not THR */
	wr(&e, 3, 0x03);
	CHECK(c, rd(&e, 3) == 0x03 && rd(&e, 1) == 0x00);
	/* Loopback: transmitted bytes come back, nothing reaches the host. */
	wr(&e, 2, 0x01);
	wr(&e, 4, 0x10);
	wr(&e, 0, 'z');
	CHECK(c, drain(&e, buf, sizeof(buf)) == 0);
	CHECK(c, (rd(&e, 5) & 0x01) && rd(&e, 0) == 'z');
	CHECK(c, uart_receive(e.u, (const uint8_t *)"q", 1) == 0);
	/* Overrun in loopback: LSR.OE and a line-status interrupt. */
	wr(&e, 1, 0x04);
	for (int i = 0; i < 17; i++)
		wr(&e, 0, 'o');
	CHECK(c, e.level && (rd(&e, 2) & 0x0f) == 0x06);
	CHECK(c, (rd(&e, 5) & 0x02) == 0x02);
	CHECK(c, (rd(&e, 5) & 0x02) == 0);	/* cleared by reading LSR */
	wr(&e, 2, 0x03);
	CHECK(c, !e.level);
	/* Modem status interrupt on a line change; reading MSR clears it. */
	wr(&e, 1, 0x08);
	wr(&e, 4, 0x10 | 0x02);	/* RTS -> CTS */
	CHECK(c, e.level && (rd(&e, 2) & 0x0f) == 0x00);
	CHECK(c, (rd(&e, 6) & 0x01) == 0x01);	/* DCTS */
	CHECK(c, !e.level);
	wr(&e, 4, 0x00);
	CHECK(c, uart_receive(e.u, (const uint8_t *)"q", 1) == 1);
	teardown(&e);
}

static void test_errors(struct check_ctx *c)
{
	struct bus bus = { 0 };
	char err[128];
	struct irq_line none = { 0 };
	struct uart *a = uart_new(&bus, BASE, none, -1, err, sizeof(err));
	CHECK(c, a != NULL);
	struct uart *b = uart_new(&bus, BASE + 0x80, none, -1, err, sizeof(err));
	CHECK(c, b == NULL && strstr(err, "overlaps") != NULL);
	/* No output fd, no irq line: writes are discarded without harm. */
	const struct mmio_region *r = bus_find(&bus, BASE, 1);
	bus_write(r, BASE + 1, 0x0f, 1);
	bus_write(r, BASE, 'x', 1);
	CHECK(c, uart_receive(a, (const uint8_t *)"y", 1) == 1);
	uart_free(a);
}

/* Output to a full non-blocking pipe waits in the ring, in order; beyond it, bytes are counted as lost. */
static void test_ttyout(struct check_ctx *c)
{
	static struct ttyout t;
	static uint8_t big[3 * 4096], back[3 * 4096];
	int p[2];
	CHECK(c, pipe2(p, O_NONBLOCK) == 0);
	int cap = fcntl(p[1], F_SETPIPE_SZ, 4096);
	CHECK(c, cap == 4096);
	for (unsigned i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 13 + i / 251);
	ttyout_init(&t, p[1]);
	ttyout_write(&t, big, 4096 + 100);
	CHECK(c, t.len == 100 && t.dropped == 0);
	CHECK(c, !ttyout_flush(&t));
	CHECK(c, read(p[0], back, 4096) == 4096);
	ttyout_write(&t, big + 4096 + 100, 50);	/* queued behind the ring, not ahead of it */
	CHECK(c, t.len == 0);
	CHECK(c, read(p[0], back + 4096, 4096) == 150);
	CHECK(c, memcmp(back, big, 4096 + 150) == 0);
	/* pipe full and ring full: after a short stall the rest is dropped */
	ttyout_write(&t, big, sizeof(big));
	CHECK(c, t.len == TTYOUT_RING && t.dropped == sizeof(big) - 4096 - TTYOUT_RING);
	CHECK(c, read(p[0], back, sizeof(back)) == 4096);
	CHECK(c, ttyout_flush(&t) || read(p[0], back, sizeof(back)) > 0);
	/* a closed reader is a hard error: everything pending is dropped, once reported */
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	ttyout_write(&t, big, 10);
	CHECK(c, t.len == 0 && t.warned);
	close(p[1]);
	ttyout_init(&t, -1);
	ttyout_write(&t, big, 10);
	CHECK(c, ttyout_flush(&t) && t.dropped == 0);
}

int main(void)
{
	struct check_ctx c = { 0 };
	test_bare_metal(&c);
	test_probe(&c);
	test_thre(&c);
	test_rx(&c);
	test_dlab_loopback(&c);
	test_errors(&c);
	test_ttyout(&c);
	return check_done(&c, "test_uart");
}
