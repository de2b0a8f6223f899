/*
 * gdbstub.c - the GDB remote serial protocol: the listening socket, the
 * packet layer (framing, checksums, acknowledgements) and the commands.
 * See gdbstub.h; registers and memory are in gdbregs.c.
 *
 * Packets the stub understands: qSupported, qXfer:features:read,
 * qAttached, qC, qfThreadInfo/qsThreadInfo, qThreadExtraInfo, ?, g, G, p,
 * P, m, M, X, Z0/z0 and Z1/z1 (both kept by the emulator; guest memory is
 * never patched), c, C, s, S, vCont?, vCont, H, T, D, k and vKill.  Any
 * other packet gets the empty reply ("not supported"); a malformed one an
 * error reply; a packet with a bad checksum or too long a NAK.
 *
 * Stepping: a step runs exactly one instruction of one hart with the
 * reference interpreter (an exception taken counts as the step) with
 * interrupts held off, as QEMU does by default; the other harts do not run
 * meanwhile, whatever the vCont packet asks of them.  (gdb 13 steps RISC-V
 * itself, with a temporary Z0 at the next instruction and a continue; the
 * breakpoint check before every instruction makes that one instruction too.)
 */
#include "debug/gdbstub.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cpu/exec.h"
#include "debug/gdbregs.h"
#include "umbra/vm.h"

#define PKT_MAX 0x4000        /* the PacketSize we announce */
#define MAX_BREAKPOINTS 64
#define SEND_TIMEOUT_MS 10000 /* a debugger that reads nothing for this long is dropped */
#define XML_MAX 12288
#define GDB_SIGINT 2
#define GDB_SIGTRAP 5
#define ALL_HARTS(n) ((uint32_t)((1ull << (n)) - 1))

enum run_state { ST_RUNNING, ST_HALTED, ST_STEP };
enum parse_state { PS_IDLE, PS_BODY, PS_CSUM1, PS_CSUM2 };

struct breakpoint {
	gva_t addr;
	unsigned type; /* 0 software, 1 hardware: both are pc matches here */
};

struct gdbstub {
	int listen_fd, fd;
	bool tcp;
	char *unix_path;          /* removed at close */
	char endpoint[128];
	struct hart **harts;
	unsigned nharts;
	struct gdbstub_ops ops;

	enum run_state state;
	bool detached;            /* the debugger sent D and has yet to close the connection */
	bool waiting;             /* the debugger resumed the guest and waits for a stop reply */
	bool reply_pending;       /* the guest stopped; the reply goes out at the next serve */
	unsigned stop_hart, stop_sig;
	unsigned step_hart;
	uint32_t resumed;         /* the harts allowed to run while ST_RUNNING */
	unsigned g_hart;          /* Hg: whose registers and memory */
	int c_hart;               /* Hc: -1 for all */

	struct breakpoint bp[MAX_BREAKPOINTS];
	unsigned nbp;

	enum parse_state ps;
	bool overflow;
	uint8_t sum, sum_rx;
	size_t in_len;
	char in[PKT_MAX + 1];
	size_t out_len;           /* out holds the last packet sent, for a retransmission */
	char out[2 * PKT_MAX + 8];
	size_t xml_len;
	char xml[XML_MAX];
};

static const char hexdigits[] = "0123456789abcdef";

/* --- the connection ------------------------------------------------------ */

static void drop_client(struct gdbstub *g, const char *why)
{
	if (g->fd < 0)
		return;
	close(g->fd);
	g->fd = -1;
	g->nbp = 0;
	g->resumed = ALL_HARTS(g->nharts);
	g->waiting = g->reply_pending = false;
	if (g->state != ST_RUNNING) {
		g->state = ST_RUNNING;
		log_info("gdb: %s; the guest runs on", why);
	} else {
		log_info("gdb: %s", why);
	}
}

static void send_raw(struct gdbstub *g, const char *buf, size_t len)
{
	while (len && g->fd >= 0) {
		ssize_t n = send(g->fd, buf, len, MSG_NOSIGNAL);
		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		struct pollfd p = {.fd = g->fd, .events = POLLOUT};
		if (n < 0 && errno == EAGAIN && poll(&p, 1, SEND_TIMEOUT_MS) > 0)
			continue;
		drop_client(g, "the debugger does not read its connection; dropped");
	}
}

static void accept_client(struct gdbstub *g)
{
	int fd = accept4(g->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return;
	int one = 1;
	if (g->tcp)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	g->fd = fd;
	g->detached = false;
	g->ps = PS_IDLE;
	g->out_len = 0;
	g->nbp = 0;
	g->waiting = g->reply_pending = false;
	g->g_hart = 0;
	g->c_hart = -1;
	if (g->state == ST_RUNNING) {
		g->state = ST_HALTED;
		g->stop_sig = GDB_SIGTRAP;
	}
	log_info("gdb: debugger connected on %s; the guest is halted", g->endpoint);
}

/* --- replies ------------------------------------------------------------- */

/* Reply bodies are built in out after the '$', then framed by reply_end(). */
static void reply_begin(struct gdbstub *g)
{
	g->out[0] = '$';
	g->out_len = 1;
}

static void put_mem(struct gdbstub *g, const void *p, size_t n)
{
	if (g->out_len + n <= sizeof(g->out) - 3) {
		memcpy(g->out + g->out_len, p, n);
		g->out_len += n;
	}
}

static void put(struct gdbstub *g, const char *s)
{
	put_mem(g, s, strlen(s));
}

PRINTF(2, 3)
static void putf(struct gdbstub *g, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put(g, buf);
}

static void put_hex(struct gdbstub *g, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n && g->out_len + 2 <= sizeof(g->out) - 3; i++) {
		g->out[g->out_len++] = hexdigits[b[i] >> 4];
		g->out[g->out_len++] = hexdigits[b[i] & 15];
	}
}

/* A register value: its bytes in target (little-endian) order. */
static void put_reg(struct gdbstub *g, uint64_t v)
{
	uint8_t b[8];
	st_le(b, v, 8);
	put_hex(g, b, 8);
}

static void reply_end(struct gdbstub *g)
{
	uint8_t sum = 0;
	for (size_t i = 1; i < g->out_len; i++)
		sum += (uint8_t)g->out[i];
	g->out[g->out_len++] = '#';
	g->out[g->out_len++] = hexdigits[sum >> 4];
	g->out[g->out_len++] = hexdigits[sum & 15];
	send_raw(g, g->out, g->out_len);
}

static void reply(struct gdbstub *g, const char *s)
{
	reply_begin(g);
	put(g, s);
	reply_end(g);
}

static void reply_err(struct gdbstub *g, int code)
{
	char buf[8];
	snprintf(buf, sizeof(buf), "E%02d", code % 100);
	reply(g, buf);
}

static void stop_reply(struct gdbstub *g)
{
	reply_begin(g);
	putf(g, "T%02xthread:%x;", g->stop_sig, g->stop_hart + 1);
	reply_end(g);
}

/* The guest stopped (breakpoint, step, Ctrl-C): the reply goes out at the next serve. */
static void halt(struct gdbstub *g, unsigned hart, unsigned sig)
{
	g->state = ST_HALTED;
	g->stop_hart = hart;
	g->stop_sig = sig;
	if (g->waiting)
		g->reply_pending = true;
	g->waiting = false;
}

/* --- parsing ------------------------------------------------------------- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A hex number of 1-16 digits at *p; advances *p past it. */
static bool parse_hex(const char **p, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;
	unsigned n = 0;
	for (int d; (d = hexval(*s)) >= 0; s++, n++)
		x = (x << 4) | (uint64_t)d;
	if (!n || n > 16)
		return false;
	*p = s;
	*v = x;
	return true;
}

/* "ADDR,LEN" followed by `end` (':' or NUL). */
static bool parse_addr_len(const char **p, uint64_t *addr, uint64_t *len, char end)
{
	if (!parse_hex(p, addr) || **p != ',')
		return false;
	(*p)++;
	if (!parse_hex(p, len) || **p != end)
		return false;
	if (end)
		(*p)++;
	return true;
}

/* Hex bytes into buf: exactly n bytes, and nothing after them. */
static bool parse_bytes(const char *s, uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int hi = hexval(s[2 * i]), lo = hi < 0 ? -1 : hexval(s[2 * i + 1]);
		if (lo < 0)
			return false;
		buf[i] = (uint8_t)(hi << 4 | lo);
	}
	return s[2 * n] == 0;
}

/* A register value in target order (16 hex digits). */
static bool parse_reg(const char *s, uint64_t *v, const char **end)
{
	uint8_t b[8];
	for (unsigned i = 0; i < 8; i++) {
		int hi = hexval(s[2 * i]), lo = hi < 0 ? -1 : hexval(s[2 * i + 1]);
		if (lo < 0)
			return false;
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	*v = ld_le(b, 8);
	*end = s + 16;
	return true;
}

/* A thread id: -1 (all), 0 (any) or 1..nharts; false if malformed or unknown. */
static bool parse_thread(struct gdbstub *g, const char **p, int *id)
{
	uint64_t v;
	if ((*p)[0] == '-' && (*p)[1] == '1') {
		*p += 2;
		*id = -1;
		return true;
	}
	if (!parse_hex(p, &v) || v > g->nharts)
		return false;
	*id = (int)v;
	return true;
}

/* --- commands ------------------------------------------------------------ */

static struct hart *cur_hart(struct gdbstub *g)
{
	return g->harts[g->g_hart];
}

static void cmd_read_regs(struct gdbstub *g)
{
	struct hart *h = cur_hart(g);
	reply_begin(g);
	for (unsigned r = 0; r < GDB_G_REGS; r++) {
		uint64_t v = 0;
		if (!gdb_reg_read(h, r, &v))
			v = 0;
		put_reg(g, v);
	}
	reply_end(g);
}

static void cmd_write_regs(struct gdbstub *g, const char *p)
{
	struct hart *h = cur_hart(g);
	uint64_t v[GDB_G_REGS];
	unsigned n = 0;
	while (*p && n < GDB_G_REGS && parse_reg(p, &v[n], &p))
		n++;
	if (*p || !n) {
		reply_err(g, 22);
		return;
	}
	for (unsigned r = 0; r < n; r++)
		if (!gdb_reg_write(h, r, v[r])) {
			reply_err(g, 22);
			return;
		}
	reply(g, "OK");
}

static void cmd_read_reg(struct gdbstub *g, const char *p)
{
	uint64_t r, v;
	if (!parse_hex(&p, &r) || *p || r > UINT32_MAX || !gdb_reg_read(cur_hart(g), (unsigned)r, &v)) {
		reply_err(g, 22);
		return;
	}
	reply_begin(g);
	put_reg(g, v);
	reply_end(g);
}

static void cmd_write_reg(struct gdbstub *g, const char *p)
{
	uint64_t r, v;
	if (!parse_hex(&p, &r) || *p++ != '=' || r > UINT32_MAX || !parse_reg(p, &v, &p) || *p ||
	    !gdb_reg_write(cur_hart(g), (unsigned)r, v)) {
		reply_err(g, 22);
		return;
	}
	reply(g, "OK");
}

static void cmd_read_mem(struct gdbstub *g, const char *p)
{
	uint64_t addr, len;
	uint8_t buf[PKT_MAX / 2];
	if (!parse_addr_len(&p, &addr, &len, 0) || len > sizeof(buf)) {
		reply_err(g, 22);
		return;
	}
	int err = 0;
	size_t n = gdb_mem_read(cur_hart(g), addr, buf, (size_t)len, &err);
	if (!n && len) {
		reply_err(g, err == EACCES ? 13 : 14);
		return;
	}
	reply_begin(g);
	put_hex(g, buf, n);
	reply_end(g);
}

static void write_mem_reply(struct gdbstub *g, uint64_t addr, const uint8_t *buf, size_t len)
{
	int rc = len ? gdb_mem_write(cur_hart(g), addr, buf, len) : 0;
	if (rc)
		reply_err(g, rc == -EACCES ? 13 : 14);
	else
		reply(g, "OK");
}

static void cmd_write_mem(struct gdbstub *g, const char *p)
{
	uint64_t addr, len;
	uint8_t buf[PKT_MAX / 2];
	if (!parse_addr_len(&p, &addr, &len, ':') || len > sizeof(buf) ||
	    !parse_bytes(p, buf, (size_t)len)) {
		reply_err(g, 22);
		return;
	}
	write_mem_reply(g, addr, buf, (size_t)len);
}

/* X: binary data, with '}' escaping the byte after it (xor 0x20). */
static void cmd_write_bin(struct gdbstub *g, const char *pkt, size_t pkt_len)
{
	const char *p = pkt + 1;
	uint64_t addr, len;
	uint8_t buf[PKT_MAX];
	if (!parse_addr_len(&p, &addr, &len, ':') || len > sizeof(buf)) {
		reply_err(g, 22);
		return;
	}
	size_t n = 0;
	for (const char *e = pkt + pkt_len; p < e && n < len; n++) {
		uint8_t c = (uint8_t)*p++;
		if (c == '}') {
			if (p == e)
				break;
			c = (uint8_t)*p++ ^ 0x20;
		}
		buf[n] = c;
	}
	if (n != len || p != pkt + pkt_len) {
		reply_err(g, 22);
		return;
	}
	write_mem_reply(g, addr, buf, n);
}

static void cmd_breakpoint(struct gdbstub *g, const char *p, bool insert)
{
	uint64_t type, addr, kind;
	if (!parse_hex(&p, &type) || type > 4 || *p++ != ',' ||
	    !parse_addr_len(&p, &addr, &kind, 0)) {
		reply_err(g, 22);
		return;
	}
	if (type > 1) { /* watchpoints: not supported */
		reply(g, "");
		return;
	}
	unsigned i;
	for (i = 0; i < g->nbp; i++)
		if (g->bp[i].addr == addr && g->bp[i].type == type)
			break;
	if (insert && i == g->nbp) {
		if (g->nbp == MAX_BREAKPOINTS) {
			reply_err(g, 28);
			return;
		}
		g->bp[g->nbp++] = (struct breakpoint){.addr = addr, .type = (unsigned)type};
	} else if (!insert && i < g->nbp) {
		g->bp[i] = g->bp[--g->nbp];
	}
	reply(g, "OK");
}

static void resume(struct gdbstub *g, uint32_t run, int step)
{
	g->waiting = true;
	g->reply_pending = false;
	if (step >= 0) {
		g->state = ST_STEP;
		g->step_hart = (unsigned)step;
	} else {
		g->state = ST_RUNNING;
		g->resumed = run;
	}
}

/* c [ADDR], s [ADDR], C SIG[;ADDR], S SIG[;ADDR]: all harts continue, or one steps. */
static void cmd_resume_legacy(struct gdbstub *g, const char *p)
{
	char op = *p++;
	uint64_t v;
	unsigned hart = g->c_hart >= 0 ? (unsigned)g->c_hart : g->g_hart;
	if (op == 'C' || op == 'S') {
		if (!parse_hex(&p, &v)) {
			reply_err(g, 22);
			return;
		}
		if (*p == ';')
			p++;
		else if (*p) {
			reply_err(g, 22);
			return;
		}
	}
	if (*p) {
		if (!parse_hex(&p, &v) || *p) {
			reply_err(g, 22);
			return;
		}
		g->harts[hart]->pc = v;
	}
	if (op == 's' || op == 'S')
		resume(g, 0, (int)hart);
	else
		resume(g, ALL_HARTS(g->nharts), -1);
}

/* vCont;ACTION[:TID]...: the first action naming a hart (or naming none) applies to it. */
static void cmd_vcont(struct gdbstub *g, const char *p)
{
	char act[UMBRA_MAX_CPUS] = {0};
	while (*p == ';') {
		char a = *++p;
		uint64_t sig;
		p++;
		if (a != 'c' && a != 's' && a != 'C' && a != 'S') {
			reply_err(g, 22);
			return;
		}
		if ((a == 'C' || a == 'S') && !parse_hex(&p, &sig)) {
			reply_err(g, 22);
			return;
		}
		int tid = -1;
		if (*p == ':') {
			p++;
			if (!parse_thread(g, &p, &tid) || tid == 0) {
				reply_err(g, 22);
				return;
			}
		}
		for (unsigned i = 0; i < g->nharts; i++)
			if (!act[i] && (tid < 0 || (unsigned)tid == i + 1))
				act[i] = (char)(a | 0x20);
	}
	uint32_t run = 0;
	int step = -1;
	for (unsigned i = 0; i < g->nharts; i++) {
		if (act[i] == 's' && step < 0)
			step = (int)i;
		if (act[i] == 'c')
			run |= 1u << i;
	}
	if (*p || (step < 0 && !run)) {
		reply_err(g, 22);
		return;
	}
	resume(g, run, step);
}

static void cmd_set_thread(struct gdbstub *g, const char *p)
{
	char op = *p++;
	int id;
	if ((op != 'g' && op != 'c') || !parse_thread(g, &p, &id) || *p) {
		reply_err(g, 22);
		return;
	}
	if (op == 'g' && id > 0)
		g->g_hart = (unsigned)id - 1;
	else if (op == 'c')
		g->c_hart = id > 0 ? id - 1 : -1;
	reply(g, "OK");
}

static void cmd_thread_alive(struct gdbstub *g, const char *p)
{
	int id;
	if (!parse_thread(g, &p, &id) || *p || id <= 0)
		reply_err(g, 22);
	else
		reply(g, "OK");
}

/* The connection stays open until the debugger closes it (it still acknowledges the OK). */
static void cmd_detach(struct gdbstub *g)
{
	reply(g, "OK");
	g->nbp = 0;
	g->resumed = ALL_HARTS(g->nharts);
	g->waiting = g->reply_pending = false;
	g->state = ST_RUNNING;
	g->detached = true;
	log_info("gdb: debugger detached; the guest runs on");
}

static void cmd_kill(struct gdbstub *g)
{
	g->state = ST_RUNNING; /* so that the VM's run loop sees it stop */
	drop_client(g, "the debugger killed the guest");
	g->ops.kill(g->ops.opaque, 0);
}

/* qXfer:features:read:target.xml:OFFSET,LENGTH */
static void cmd_xfer_features(struct gdbstub *g, const char *p)
{
	static const char annex[] = "target.xml:";
	uint64_t off, len;
	if (strncmp(p, annex, sizeof(annex) - 1)) {
		reply_err(g, 0);
		return;
	}
	p += sizeof(annex) - 1;
	if (!parse_addr_len(&p, &off, &len, 0)) {
		reply_err(g, 22);
		return;
	}
	if (len > PKT_MAX / 2 - 8)
		len = PKT_MAX / 2 - 8;
	if (off > g->xml_len)
		off = g->xml_len;
	size_t n = g->xml_len - off < len ? g->xml_len - off : len;
	reply_begin(g);
	put(g, off + n < g->xml_len ? "m" : "l");
	for (size_t i = 0; i < n; i++) {
		char c = g->xml[off + i];
		if (c == '$' || c == '#' || c == '}' || c == '*') {
			char esc[2] = {'}', (char)(c ^ 0x20)};
			put_mem(g, esc, 2);
		} else {
			put_mem(g, &c, 1);
		}
	}
	reply_end(g);
}

static void cmd_thread_info(struct gdbstub *g, const char *p)
{
	uint64_t id;
	if (!parse_hex(&p, &id) || *p || !id || id > g->nharts) {
		reply_err(g, 22);
		return;
	}
	static const char *const mode[4] = {"U-mode", "S-mode", "?", "M-mode"};
	const struct hart *h = g->harts[id - 1];
	char text[96];
	snprintf(text, sizeof(text), "hart %u, %s%s", h->hartid, h->state != HART_STARTED ?
		 "stopped" : mode[h->priv & 3], h->state == HART_STARTED && h->wfi ? ", in WFI" : "");
	reply_begin(g);
	put_hex(g, text, strlen(text));
	reply_end(g);
}

static void cmd_query(struct gdbstub *g, const char *p)
{
	if (!strncmp(p, "qSupported", 10)) {
		reply_begin(g);
		putf(g, "PacketSize=%x;qXfer:features:read+;vContSupported+", PKT_MAX);
		reply_end(g);
	} else if (!strncmp(p, "qXfer:features:read:", 20)) {
		cmd_xfer_features(g, p + 20);
	} else if (!strcmp(p, "qAttached") || !strncmp(p, "qAttached:", 10)) {
		reply(g, "1");
	} else if (!strcmp(p, "qC")) {
		reply_begin(g);
		putf(g, "QC%x", g->stop_hart + 1);
		reply_end(g);
	} else if (!strcmp(p, "qfThreadInfo")) {
		reply_begin(g);
		for (unsigned i = 0; i < g->nharts; i++)
			putf(g, "%s%x", i ? "," : "m", i + 1);
		reply_end(g);
	} else if (!strcmp(p, "qsThreadInfo")) {
		reply(g, "l");
	} else if (!strncmp(p, "qThreadExtraInfo,", 17)) {
		cmd_thread_info(g, p + 17);
	} else {
		reply(g, "");
	}
}

static void cmd_v(struct gdbstub *g, const char *p)
{
	if (!strcmp(p, "vCont?")) {
		reply(g, "vCont;c;C;s;S");
	} else if (!strncmp(p, "vCont;", 6)) {
		cmd_vcont(g, p + 5);
	} else if (!strncmp(p, "vKill", 5)) {
		reply(g, "OK");
		cmd_kill(g);
	} else {
		reply(g, "");
	}
}

static void handle_packet(struct gdbstub *g, const char *p, size_t len)
{
	switch (p[0]) {
	case '?': stop_reply(g); break;
	case 'g': if (p[1]) reply_err(g, 22); else cmd_read_regs(g); break;
	case 'G': cmd_write_regs(g, p + 1); break;
	case 'p': cmd_read_reg(g, p + 1); break;
	case 'P': cmd_write_reg(g, p + 1); break;
	case 'm': cmd_read_mem(g, p + 1); break;
	case 'M': cmd_write_mem(g, p + 1); break;
	case 'X': cmd_write_bin(g, p, len); break;
	case 'Z': cmd_breakpoint(g, p + 1, true); break;
	case 'z': cmd_breakpoint(g, p + 1, false); break;
	case 'c': case 's': case 'C': case 'S': cmd_resume_legacy(g, p); break;
	case 'H': cmd_set_thread(g, p + 1); break;
	case 'T': cmd_thread_alive(g, p + 1); break;
	case 'D': cmd_detach(g); break;
	case 'k': cmd_kill(g); break;
	case 'q': cmd_query(g, p); break;
	case 'v': cmd_v(g, p); break;
	default: reply(g, ""); break;
	}
}

/* --- the byte stream ----------------------------------------------------- */

static void take_byte(struct gdbstub *g, char c)
{
	switch (g->ps) {
	case PS_IDLE:
		if (c == '$') {
			g->ps = PS_BODY;
			g->in_len = 0;
			g->sum = 0;
			g->overflow = false;
		} else if (c == 0x03 && g->state == ST_RUNNING && !g->detached) {
			halt(g, g->stop_hart, GDB_SIGINT);
		} else if (c == '-' && g->out_len) {
			send_raw(g, g->out, g->out_len);
		}
		break; /* '+' and noise between packets */
	case PS_BODY:
		if (c == '#') {
			g->ps = PS_CSUM1;
		} else if (c == '$') { /* the debugger started over */
			g->in_len = 0;
			g->sum = 0;
			g->overflow = false;
		} else if (g->in_len < PKT_MAX) {
			g->in[g->in_len++] = c;
			g->sum += (uint8_t)c;
		} else {
			g->overflow = true;
		}
		break;
	case PS_CSUM1:
	case PS_CSUM2: {
		int d = hexval(c);
		if (d < 0) {
			g->overflow = true; /* a malformed checksum: NAK below */
			d = 0;
		}
		if (g->ps == PS_CSUM1) {
			g->sum_rx = (uint8_t)(d << 4);
			g->ps = PS_CSUM2;
			break;
		}
		g->sum_rx |= (uint8_t)d;
		g->ps = PS_IDLE;
		if (g->overflow || g->sum_rx != g->sum || !g->in_len) {
			send_raw(g, "-", 1);
			break;
		}
		send_raw(g, "+", 1);
		g->in[g->in_len] = 0;
		handle_packet(g, g->in, g->in_len);
		break;
	}
	}
}

int gdbstub_fd(const struct gdbstub *g)
{
	return g->fd >= 0 ? g->fd : g->listen_fd;
}

void gdbstub_input(struct gdbstub *g)
{
	if (g->fd < 0) {
		accept_client(g);
		return;
	}
	char buf[4096];
	ssize_t n = recv(g->fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		drop_client(g, "debugger disconnected");
		return;
	}
	for (ssize_t i = 0; i < n && g->fd >= 0; i++)
		take_byte(g, buf[i]);
}

/* --- the run loop's side ------------------------------------------------- */

bool gdbstub_holds(const struct gdbstub *g)
{
	return g->state != ST_RUNNING;
}

/*
 * One instruction of one hart, with the reference interpreter (the block
 * engine runs whole blocks), interrupts held off.
 */
static uint64_t step_hart(struct gdbstub *g, struct hart *h)
{
	uint64_t before = h->instret;
	h->stop = false;
	if (h->state != HART_STARTED)
		return 0;
	if (h->wfi) {
		if (!(h->mip & h->mie))
			return 0;
		h->wfi = false;
	}
	hart_run_interp(h, 1);
	if (g->nharts > 1) /* others run before this hart's next instruction */
		h->reservation = 0;
	return h->instret - before;
}

uint64_t gdbstub_serve(struct gdbstub *g, int timeout_ms)
{
	if (g->reply_pending) {
		g->reply_pending = false;
		stop_reply(g);
	}
	if (g->state == ST_STEP) {
		uint64_t n = step_hart(g, g->harts[g->step_hart]);
		halt(g, g->step_hart, GDB_SIGTRAP);
		return n;
	}
	if (g->state != ST_HALTED)
		return 0;
	struct pollfd p = {.fd = gdbstub_fd(g), .events = POLLIN};
	if (poll(&p, 1, timeout_ms) > 0)
		gdbstub_input(g);
	return 0;
}

static bool breakpoint_at(const struct gdbstub *g, gva_t pc)
{
	for (unsigned i = 0; i < g->nbp; i++)
		if (g->bp[i].addr == pc)
			return true;
	return false;
}

uint64_t gdbstub_run_hart(struct gdbstub *g, struct hart *h, uint64_t budget)
{
	if (!((g->resumed >> h->hartid) & 1))
		return 0;
	if (!g->nbp)
		return hart_run(h, budget);
	/* hart_run(), one instruction at a time, looking at the pc before each. */
	uint64_t start = h->instret;
	if (!hart_run_begin(h))
		return 0;
	for (uint64_t n = 0; n < budget && !h->stop && !h->wfi && h->state == HART_STARTED; n++) {
		if (breakpoint_at(g, h->pc)) {
			halt(g, h->hartid, GDB_SIGTRAP);
			break;
		}
		hart_run_interp(h, 1);
	}
	h->reservation = 0;
	return h->instret - start;
}

/* Waits (a second at most) for the debugger to acknowledge our last packet and close. */
static void linger(struct gdbstub *g)
{
	struct pollfd p = {.fd = g->fd, .events = POLLIN};
	char buf[256];
	for (int i = 0; i < 10 && poll(&p, 1, 100) >= 0; i++)
		if ((p.revents & (POLLIN | POLLHUP | POLLERR)) && recv(g->fd, buf, sizeof(buf), 0) <= 0)
			break;
}

void gdbstub_exited(struct gdbstub *g, int status)
{
	if (g->fd < 0)
		return;
	if (!g->detached) {
		reply_begin(g);
		putf(g, "W%02x", (unsigned)status & 0xff);
		reply_end(g);
	}
	if (g->fd >= 0)
		linger(g);
	g->state = ST_RUNNING;
	drop_client(g, g->detached ? "debugger disconnected" : "the guest is gone");
}

/* --- setting up ---------------------------------------------------------- */

static int listen_tcp(struct gdbstub *g, const char *spec, char *err, size_t errlen)
{
	const char *colon = strrchr(spec, ':');
	size_t hostlen = (size_t)(colon - spec);
	if (!(hostlen == 0 || (hostlen == 9 && !strncmp(spec, "127.0.0.1", 9)) ||
	      (hostlen == 9 && !strncmp(spec, "localhost", 9)))) {
		snprintf(err, errlen, "--gdb: tcp:%s: umbra listens on the loopback interface only "
			 "(tcp::PORT or tcp:127.0.0.1:PORT)", spec);
		return -1;
	}
	char *end;
	errno = 0;
	unsigned long port = strtoul(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || port > 65535 || colon[1] == '-' || colon[1] == '+') {
		snprintf(err, errlen, "--gdb: '%s' is not a port number (0-65535)", colon + 1);
		return -1;
	}
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int one = 1;
	socklen_t alen = sizeof(a);
	g->tcp = true;
	g->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (g->listen_fd < 0 ||
	    setsockopt(g->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(g->listen_fd, (struct sockaddr *)&a, sizeof(a)) || listen(g->listen_fd, 1) ||
	    getsockname(g->listen_fd, (struct sockaddr *)&a, &alen)) {
		snprintf(err, errlen, "--gdb: cannot listen on 127.0.0.1 port %lu: %s", port,
			 strerror(errno));
		return -1;
	}
	snprintf(g->endpoint, sizeof(g->endpoint), "tcp:127.0.0.1:%u", ntohs(a.sin_port));
	return 0;
}

static int listen_unix(struct gdbstub *g, const char *path, char *err, size_t errlen)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	struct stat st;
	if (!*path || strlen(path) >= sizeof(a.sun_path)) {
		snprintf(err, errlen, "--gdb: unix:%s: %s", path, *path ? "path too long" : "no path");
		return -1;
	}
	memcpy(a.sun_path, path, strlen(path) + 1);
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "--gdb: %s exists and is not a socket; not replacing it", path);
			return -1;
		}
		unlink(path); /* a stale socket of an earlier run */
	}
	g->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (g->listen_fd < 0 || bind(g->listen_fd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(g->listen_fd, 1)) {
		snprintf(err, errlen, "--gdb: cannot listen on %s: %s", path, strerror(errno));
		return -1;
	}
	if (!(g->unix_path = strdup(path))) {
		unlink(path);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(g->endpoint, sizeof(g->endpoint), "unix:%.120s", path);
	return 0;
}

struct gdbstub *gdbstub_open(const char *spec, struct hart **harts, unsigned nharts,
			     const struct gdbstub_ops *ops, char *err, size_t errlen)
{
	if (nharts < 1 || nharts > UMBRA_MAX_CPUS) {
		snprintf(err, errlen, "--gdb: internal: %u harts", nharts);
		return NULL;
	}
	struct gdbstub *g = calloc(1, sizeof(*g));
	if (!g) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	g->listen_fd = g->fd = -1;
	g->harts = harts;
	g->nharts = nharts;
	g->ops = *ops;
	g->state = ST_HALTED; /* the guest waits for the debugger */
	g->stop_sig = GDB_SIGTRAP;
	g->resumed = ALL_HARTS(nharts);
	g->c_hart = -1;
	g->xml_len = gdb_target_xml(g->xml, sizeof(g->xml));
	int rc;
	if (!strncmp(spec, "tcp:", 4) && strchr(spec + 4, ':')) {
		rc = listen_tcp(g, spec + 4, err, errlen);
	} else if (!strncmp(spec, "unix:", 5)) {
		rc = listen_unix(g, spec + 5, err, errlen);
	} else {
		snprintf(err, errlen, "--gdb: '%s' is not tcp::PORT, tcp:127.0.0.1:PORT or unix:PATH",
			 spec);
		rc = -1;
	}
	if (rc || !g->xml_len) {
		if (!rc)
			snprintf(err, errlen, "--gdb: internal: the target description does not fit");
		gdbstub_close(g);
		return NULL;
	}
	log_info("gdb: waiting for a debugger on %s (the guest starts when it continues)",
		 g->endpoint);
	return g;
}

const char *gdbstub_endpoint(const struct gdbstub *g)
{
	return g->endpoint;
}

void gdbstub_close(struct gdbstub *g)
{
	if (!g)
		return;
	if (g->fd >= 0)
		close(g->fd);
	if (g->listen_fd >= 0)
		close(g->listen_fd);
	if (g->unix_path) {
		unlink(g->unix_path);
		free(g->unix_path);
	}
	free(g);
}
