#include "apiclient.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

ssize_t api_call(const char *sock, const char *line, char *buf, size_t len)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", sock);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return -e;
	}
	size_t n = strlen(line);
	if (send(fd, line, n, MSG_NOSIGNAL) == (ssize_t)n)
		(void)!send(fd, "\n", 1, MSG_NOSIGNAL);
	size_t got = 0;
	while (got + 1 < len) {
		ssize_t k = recv(fd, buf + got, len - 1 - got, 0);
		if (k <= 0)
			break;
		got += (size_t)k;
		if (memchr(buf, '\n', got))
			break;
	}
	close(fd);
	buf[got] = 0;
	return (ssize_t)got;
}
