/* host.h - the `umbra host` and `umbra ctl` commands. */
#ifndef UMBRA_APP_HOST_H
#define UMBRA_APP_HOST_H

#include <stddef.h>

#include "umbra/vm.h"

int cmd_host(int argc, char **argv);
int cmd_ctl(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_plot(int argc, char **argv);
void host_default_socket(char *buf, size_t len);

#endif
