#include "host/term.h"

#include <unistd.h>

bool term_raw(struct term_state *t, int fd)
{
	t->fd = fd;
	t->saved = false;
	if (!isatty(fd) || tcgetattr(fd, &t->old) != 0)
		return false;
	struct termios raw = t->old;
	cfmakeraw(&raw);
	raw.c_oflag |= OPOST | ONLCR; /* keep the host's newline handling for umbra's own messages */
	if (tcsetattr(fd, TCSANOW, &raw) != 0)
		return false;
	t->saved = true;
	return true;
}

void term_restore(struct term_state *t)
{
	if (t->saved)
		tcsetattr(t->fd, TCSANOW, &t->old);
	t->saved = false;
}
