/*
 * term.h - the host terminal as a guest console.
 *
 * Contract: term_raw() puts a tty into raw mode (so that Ctrl-C reaches the
 * guest) and returns a saved state for term_restore(); on a non-tty it does
 * nothing and returns false.
 */
#ifndef UMBRA_HOST_TERM_H
#define UMBRA_HOST_TERM_H

#include <stdbool.h>
#include <termios.h>

struct term_state {
	int fd;
	bool saved;
	struct termios old;
};

bool term_raw(struct term_state *t, int fd);
void term_restore(struct term_state *t);

#endif
