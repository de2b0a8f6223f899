#include "dev/uart.h"

#include "dev/ttyout.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* Register offsets (DLAB selects DLL/DLM at 0 and 1). */
enum { RBR_THR = 0, IER = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };

#define IER_RDI 0x01	/* received data available */
#define IER_THRI 0x02	/* THR empty */
#define IER_RLSI 0x04	/* receiver line status */
#define IER_MSI 0x08	/* modem status */

#define IIR_NONE 0x01
#define IIR_MSI 0x00
#define IIR_THRI 0x02
#define IIR_RDI 0x04
#define IIR_RLSI 0x06
#define IIR_FIFO 0xc0	/* both bits read 1 while the FIFOs are enabled */

#define FCR_ENABLE 0x01
#define FCR_CLEAR_RX 0x02

#define LCR_DLAB 0x80

#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10

#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_THRE 0x20
#define LSR_TEMT 0x40

#define MSR_CTS 0x10
#define MSR_DSR 0x20
#define MSR_RI 0x40
#define MSR_DCD 0x80
#define MSR_TERI 0x04

#define UART_FIFO 16

struct uart {
	struct irq_line irq;
	bool level;
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	bool fifo_on;
	bool thre;		/* THR-empty interrupt pending */
	bool overrun;		/* LSR.OE until LSR is read */
	uint8_t msr;		/* modem status lines (high nibble) */
	uint8_t msr_delta;	/* change bits (low nibble) until MSR is read */
	unsigned rx_head, rx_len;
	uint8_t rx[UART_FIFO];
	struct ttyout out;
};

static unsigned rx_capacity(const struct uart *u)
{
	return u->fifo_on ? UART_FIFO : 1;
}

static uint8_t iir(const struct uart *u)
{
	uint8_t fifo = u->fifo_on ? IIR_FIFO : 0;
	if ((u->ier & IER_RLSI) && u->overrun)
		return fifo | IIR_RLSI;
	if ((u->ier & IER_RDI) && u->rx_len)
		return fifo | IIR_RDI;
	if ((u->ier & IER_THRI) && u->thre)
		return fifo | IIR_THRI;
	if ((u->ier & IER_MSI) && u->msr_delta)
		return fifo | IIR_MSI;
	return fifo | IIR_NONE;
}

/* Re-evaluates the interrupt line after any state change. */
static void update_irq(struct uart *u)
{
	bool level = !(iir(u) & IIR_NONE);
	if (level != u->level) {
		u->level = level;
		irq_set(&u->irq, level);
	}
}

static bool rx_push(struct uart *u, uint8_t c)
{
	if (u->rx_len >= rx_capacity(u))
		return false;
	u->rx[(u->rx_head + u->rx_len) % UART_FIFO] = c;
	u->rx_len++;
	return true;
}

static uint8_t rx_pop(struct uart *u)
{
	if (!u->rx_len)
		return 0;
	uint8_t c = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % UART_FIFO;
	u->rx_len--;
	return c;
}

/*
 * The modem status lines: in loopback mode they follow MCR (DTR->DSR,
 * RTS->CTS, OUT1->RI, OUT2->DCD), which is what Linux's probe checks;
 * otherwise the "cable" reports a ready peer (CTS, DSR, DCD).
 */
static void set_modem_lines(struct uart *u)
{
	uint8_t m = MSR_CTS | MSR_DSR | MSR_DCD;
	if (u->mcr & MCR_LOOP) {
		m = 0;
		if (u->mcr & MCR_DTR)
			m |= MSR_DSR;
		if (u->mcr & MCR_RTS)
			m |= MSR_CTS;
		if (u->mcr & MCR_OUT1)
			m |= MSR_RI;
		if (u->mcr & MCR_OUT2)
			m |= MSR_DCD;
	}
	uint8_t changed = m ^ u->msr;
	u->msr_delta |= (changed >> 4) & 0x0b;	/* DCTS, DDSR, DDCD */
	if ((u->msr & MSR_RI) && !(m & MSR_RI))
		u->msr_delta |= MSR_TERI;	/* trailing edge of RI */
	u->msr = m;
}

static void transmit(struct uart *u, uint8_t c)
{
	if (u->mcr & MCR_LOOP) {
		if (!rx_push(u, c))
			u->overrun = true;
	} else {
		ttyout_write(&u->out, &c, 1);
	}
	u->thre = true;		/* the byte left at once: THR is empty again */
}

static void write_fcr(struct uart *u, uint8_t v)
{
	bool on = v & FCR_ENABLE;
	if (on != u->fifo_on || (v & FCR_CLEAR_RX)) {
		u->rx_len = 0;
		u->rx_head = 0;
	}
	u->fifo_on = on;
}

static void write_ier(struct uart *u, uint8_t v)
{
	/* Enabling the THR-empty interrupt while THR is empty raises it. */
	if ((v & IER_THRI) && !(u->ier & IER_THRI))
		u->thre = true;
	u->ier = v & 0x0f;
}

static uint8_t read_reg(struct uart *u, unsigned off)
{
	bool dlab = u->lcr & LCR_DLAB;
	uint8_t v;
	switch (off) {
	case RBR_THR:
		return dlab ? u->dll : rx_pop(u);
	case IER:
		return dlab ? u->dlm : u->ier;
	case IIR_FCR:
		v = iir(u);
		if ((v & 0x0f) == IIR_THRI)
			u->thre = false;	/* reading IIR acknowledges THR empty */
		return v;
	case LCR:
		return u->lcr;
	case MCR:
		return u->mcr;
	case LSR:
		if (u->out.len)
			ttyout_flush(&u->out);	/* a guest polling LSR gives stalled output a chance */
		v = LSR_THRE | LSR_TEMT | (u->rx_len ? LSR_DR : 0) | (u->overrun ? LSR_OE : 0);
		u->overrun = false;
		return v;
	case MSR:
		v = u->msr | u->msr_delta;
		u->msr_delta = 0;
		return v;
	case SCR:
		return u->scr;
	}
	return 0;
}

static void write_reg(struct uart *u, unsigned off, uint8_t v)
{
	bool dlab = u->lcr & LCR_DLAB;
	switch (off) {
	case RBR_THR:
		if (dlab)
			u->dll = v;
		else
			transmit(u, v);
		break;
	case IER:
		if (dlab)
			u->dlm = v;
		else
			write_ier(u, v);
		break;
	case IIR_FCR:
		write_fcr(u, v);
		break;
	case LCR:
		u->lcr = v;
		break;
	case MCR:
		u->mcr = v & 0x1f;
		set_modem_lines(u);
		break;
	case SCR:
		u->scr = v;
		break;
	}
}

static uint64_t uart_read(void *opaque, uint64_t off, unsigned size)
{
	struct uart *u = opaque;
	(void)size;
	uint8_t v = read_reg(u, (unsigned)off);
	update_irq(u);
	return v;
}

static void uart_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
	struct uart *u = opaque;
	(void)size;
	write_reg(u, (unsigned)off, (uint8_t)val);
	update_irq(u);
}

static const struct mmio_ops uart_ops = {
	.read = uart_read,
	.write = uart_write,
};

struct uart *uart_new(struct bus *bus, gpa_t base, struct irq_line irq, int out_fd,
		      char *err, size_t errlen)
{
	struct uart *u = calloc(1, sizeof(*u));
	if (!u) {
		snprintf(err, errlen, "uart: out of memory");
		return NULL;
	}
	u->irq = irq;
	ttyout_init(&u->out, out_fd);
	set_modem_lines(u);
	u->msr_delta = 0;
	struct mmio_region r = {
		.base = base, .size = UART_REGION_SIZE, .min_size = 1, .max_size = 1,
		.ops = &uart_ops, .opaque = u, .name = "uart",
	};
	int e = bus_map(bus, &r);
	if (e) {
		snprintf(err, errlen, "uart at %#llx: %s", (unsigned long long)base,
			 e == -EEXIST ? "overlaps another device" : "too many devices on the bus");
		free(u);
		return NULL;
	}
	return u;
}

void uart_free(struct uart *u)
{
	if (!u)
		return;
	ttyout_flush(&u->out);
	free(u);
}

size_t uart_receive(struct uart *u, const uint8_t *buf, size_t n)
{
	size_t k = 0;
	if (u->mcr & MCR_LOOP)
		return 0;	/* the receiver is wired to the transmitter */
	while (k < n && rx_push(u, buf[k]))
		k++;
	update_irq(u);
	return k;
}
