/*
 * uart.h - an NS16550A UART, as on QEMU's virt board (reg-shift 0).
 *
 * Contract: uart_new() maps a 0x100-byte region of 1-byte registers (the
 * eight 16550 registers at offsets 0..7; the rest reads 0).  Transmitted
 * bytes go straight to out_fd (see ttyout.h), so the transmitter is always
 * empty: LSR.THRE and LSR.TEMT read 1 and a THR write re-arms the THR-empty
 * interrupt at once.  Host input enters through uart_receive(), which takes
 * only what fits in the receive FIFO (16 bytes with FCR.FIFOE set, 1 without,
 * none in loopback mode); the caller keeps the rest and offers it again
 * later.  The interrupt line is level-triggered: high while IIR reports an
 * interrupt (priority: line status, received data, THR empty, modem status).
 * All calls happen on the VM's thread.
 */
#ifndef UMBRA_DEV_UART_H
#define UMBRA_DEV_UART_H

#include "dev/bus.h"

#define UART_REGION_SIZE 0x100

struct uart;

struct uart *uart_new(struct bus *bus, gpa_t base, struct irq_line irq, int out_fd,
		      char *err, size_t errlen);
void uart_free(struct uart *u);

/* Host input; returns how many bytes of buf entered the receive FIFO. */
size_t uart_receive(struct uart *u, const uint8_t *buf, size_t n);

#endif
