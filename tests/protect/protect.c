/*
 * protect.c - bare-metal tests of umbra's program-directed memory protection
 * (docs/hypercall-abi.md).  An S-mode kernel (kern.c) runs user programs in
 * two address spaces, A (the owner) and B (another program), and checks every
 * right for every environment, every action, the upcall protocol, bad input,
 * sealing, remapping and reuse of protected pages, the address-space-gone rule
 * and the device rights (a virtio-blk disk in slot 0).
 *
 * Built once per scenario (tests/protect/run.sh):
 *   SCENARIO_MAIN          everything that leaves the VM running
 *   SCENARIO_HALT_OWNER    the HALT action; umbra must exit with 120
 *   SCENARIO_HALT_KERNEL   ... the kernel violates
 *   SCENARIO_HALT_OTHER    ... another program violates
 *   SCENARIO_HALT_DEVICE   ... a virtio-blk read violates
 *   SCENARIO_LIMIT         UMBRA_MAX_PROTECTED_PAGES (needs --mem 512M)
 */
#include "kern.h"

#define SCENARIO_MAIN 0
#define SCENARIO_HALT_OWNER 1
#define SCENARIO_HALT_KERNEL 2
#define SCENARIO_HALT_OTHER 3
#define SCENARIO_HALT_DEVICE 4
#define SCENARIO_LIMIT 5
#ifndef SCENARIO
#define SCENARIO SCENARIO_MAIN
#endif

/* uprog.c */
extern struct {
	long error;
	unsigned long done;
} ulib_res;
unsigned long u_lib_protect(unsigned long, unsigned long, unsigned long, unsigned long);
unsigned long u_lib_unprotect(unsigned long, unsigned long);
unsigned long u_lib_probe(void);
unsigned long u_lib_query_stats(unsigned long, unsigned long, unsigned long);
extern char ustack_a_top[], ustack_b_top[], ustack_c_top[];

#define R UMBRA_R
#define W UMBRA_W
#define X UMBRA_X
#define RW (R | W)
#define RWX (R | W | X)

/* user virtual addresses */
#define VA_P 0x40000000ul      /* A: the test page P */
#define VA_ALIAS 0x40001000ul  /* A: P again */
#define VA_S1 0x40011000ul     /* A: the sealed page (VA_S1 - PAGE: a plain one) */
#define VA_E 0x40020000ul      /* A: two mapped pages, then a hole */
#define VA_NOU 0x40030000ul    /* A: a page without the U bit */
#define VA_INV 0x40031000ul    /* A: an invalid PTE with R|W|U */
#define VA_HOLE 0x40032000ul   /* A: nothing */
#define VA_MEGA 0x40200000ul   /* A: a 2 MiB page */
#define VA_BIG 0x41000000ul    /* A: 600 pages, then a hole */
#define VA_HUGE 0x48000000ul   /* A: the limit scenario's pages */
#define VB_P 0x50000000ul      /* B: P */
#define VB_NEW 0x50001000ul    /* B: P mapped after protection */
#define VB_OWN 0x50002000ul    /* B: a page of its own */
#define VB_P3 0x50003000ul     /* B: C's page */
#define VA_C 0x60000000ul      /* C: its page */

#define OFF_R 0x10
#define OFF_X 0x800
#define WVAL 0x3141592653589793ul

static struct space A, B, C;
static uint64_t *P;                   /* the test page (kernel address == physical) */
static const char *const op_name[] = {"read", "write", "exec", "amo"};
static const uint64_t fault_cause[] = {CAUSE_LOAD_ACCESS, CAUSE_STORE_ACCESS,
				       CAUSE_FETCH_ACCESS, CAUSE_STORE_ACCESS};

static uint64_t patw(const uint64_t *page, unsigned off)
{
	return 0xda7a000000000000ul | (pa_of(page) + off);
}

static void put_stub(uint64_t *page, unsigned off, unsigned v)
{
	volatile uint32_t *w = (volatile uint32_t *)((char *)page + off);
	w[0] = 0x00000513u | (v & 0x7ffu) << 20; /* addi a0, zero, v */
	w[1] = 0x00008067u;                      /* ret */
}

/* fills an unprotected page: its pattern, and "li a0, 0x42; ret" at OFF_X */
static void fill(uint64_t *page)
{
	for (unsigned i = 0; i < 512; i++)
		page[i] = patw(page, i * 8);
	put_stub(page, OFF_X, 0x42);
	fence_i();
}

static int is_zero(const uint64_t *page)
{
	for (unsigned i = 0; i < 512; i++)
		if (page[i])
			return 0;
	return 1;
}

/* ---- hypercalls ---------------------------------------------------------------- */
static struct hret protect(struct space *s, uint64_t va, uint64_t n, uint64_t rights,
			   uint64_t action)
{
	return uhc(s, UMBRA_FN_PROTECT, va, n, rights, action);
}

static struct hret unprotect(struct space *s, uint64_t va, uint64_t n)
{
	return uhc(s, UMBRA_FN_UNPROTECT, va, n, 0, 0);
}

static uint64_t query(struct space *s, uint64_t va, unsigned what)
{
	struct hret h = uhc(s, UMBRA_FN_QUERY, va, what, 0, 0);
	CHECK(h.error, UMBRA_OK, "QUERY(0x%lx, %u) in %s: error", va, what, s->name);
	return h.value;
}

static uint64_t stat(struct space *s, unsigned what)
{
	struct hret h = uhc(s, UMBRA_FN_STATS, what, 0, 0, 0);
	CHECK(h.error, UMBRA_OK, "STATS(%u) in %s: error", what, s->name);
	return h.value;
}

/* error, and value when OK */
#define CHECK_HC(h, err, val, ...)                                                  \
	do {                                                                        \
		struct hret h_ = (h);                                               \
		if (CHECK(h_.error, err, __VA_ARGS__) && (long)(err) == UMBRA_OK)   \
			CHECK(h_.value, val, __VA_ARGS__);                          \
	} while (0)

/* ---- environments ----------------------------------------------------------------- */
enum env { OWNER, KERNEL, OTHER, KUSER };
static const char *const env_name[] = {"owner", "kernel", "other", "kernel via the user va"};
static const unsigned env_class[] = {UMBRA_ENV_OWNER, UMBRA_ENV_KERNEL, UMBRA_ENV_OTHER,
				     UMBRA_ENV_KERNEL};

static uint64_t env_addr(enum env e, unsigned off)
{
	switch (e) {
	case OWNER: case KUSER: return VA_P + off;
	case KERNEL: return pa_of(P) + off;
	case OTHER: return VB_P + off;
	}
	return 0;
}

static struct pr env_access(enum env e, enum op op, unsigned off, uint64_t val)
{
	switch (e) {
	case OWNER: return uprobe(&A, op, VA_P + off, val);
	case OTHER: return uprobe(&B, op, VB_P + off, val);
	case KERNEL: return kprobe(op, pa_of(P) + off, val);
	case KUSER: use_space(&A); return kprobe(op, VA_P + off, val);
	}
	return (struct pr){0, 0, 0};
}

/* rights: RWX for every environment (RW for devices) except class c */
static uint64_t rights_with(unsigned c, unsigned bits)
{
	unsigned b[4] = {RWX, RWX, RWX, RW};
	b[c] = bits;
	return UMBRA_RIGHTS(b[0], b[1], b[2], b[3]);
}

static const char *bits_name(unsigned bits)
{
	static const char *const n[] = {"---", "r--", "-w-", "rw-", "--x", "r-x", "-wx", "rwx"};
	return n[bits & 7];
}

/* the offsets an environment writes to (W, then AMO) */
static unsigned woff(enum env e) { return 0x100 + 0x20 * (unsigned)e; }

/* One access that the rights allow: no fault, and the right result. */
static void expect_ok(enum env e, enum op op, const char *what)
{
	unsigned off = op == OP_R ? OFF_R : op == OP_X ? OFF_X : woff(e) + (op == OP_AMO ? 8 : 0);
	struct pr r = env_access(e, op, off, op == OP_AMO ? 1 : WVAL);
	if (!CHECK(r.cause, NOFAULT, "%s: %s %s allowed: no fault (tval 0x%lx)", what, env_name[e],
		   op_name[op], r.tval))
		return;
	if (op == OP_R)
		CHECK(r.value, patw(P, OFF_R), "%s: %s read: value", what, env_name[e]);
	if (op == OP_X)
		CHECK(r.value, 0x42, "%s: %s exec: result", what, env_name[e]);
	if (op == OP_AMO)
		CHECK(r.value, patw(P, off), "%s: %s amo: old value", what, env_name[e]);
}

/* One access that the rights deny, under FAULT: the access fault. */
static void expect_fault(enum env e, enum op op, const char *what)
{
	unsigned off = op == OP_R ? OFF_R : op == OP_X ? OFF_X : woff(e) + (op == OP_AMO ? 8 : 0);
	struct pr r = env_access(e, op, off, op == OP_AMO ? 1 : WVAL);
	CHECK(r.cause, fault_cause[op], "%s: %s %s denied: cause", what, env_name[e], op_name[op]);
	if (r.cause == fault_cause[op])
		CHECK(r.tval, env_addr(e, off), "%s: %s %s denied: tval", what, env_name[e],
		      op_name[op]);
}

/* After the test's accesses: P's words as the allowed writes left them. */
static void check_writes(const char *what, const int allowed_w[4], const int allowed_amo[4])
{
	for (unsigned e = 0; e < 4; e++) {
		unsigned off = woff(e);
		CHECK(P[off / 8], allowed_w[e] ? WVAL : patw(P, off), "%s: memory after %s's write", what,
		      env_name[e]);
		CHECK(P[off / 8 + 1], allowed_amo[e] ? patw(P, off + 8) + 1 : patw(P, off + 8),
		      "%s: memory after %s's amo", what, env_name[e]);
	}
}

/* ---- every right for every environment ------------------------------------------------ */
static void rights_config(enum env e, unsigned bits, uint64_t tag)
{
	char what[64];
	unsigned c = env_class[e];
	uint64_t rights = rights_with(c, bits);
	/* "kernel r-x" etc. */
	{
		const char *a = env_name[e], *b = bits_name(bits);
		unsigned n = 0;
		while (*a && n < 40)
			what[n++] = *a++;
		what[n++] = ' ';
		while (*b)
			what[n++] = *b++;
		what[n] = 0;
	}
	fill(P);
	CHECK_HC(protect(&A, VA_P, 1, rights, UMBRA_ACTION(UMBRA_ACT_FAULT, tag)), UMBRA_OK, 1,
		 "%s: PROTECT", what);
	uint64_t v0 = query(&A, VA_P, UMBRA_QUERY_VIOLATIONS);
	uint64_t s0 = stat(&A, UMBRA_STAT_VIOLATIONS);
	CHECK(query(&A, VA_P, UMBRA_QUERY_RIGHTS), rights | UMBRA_PROTECTED, "%s: QUERY rights", what);
	CHECK(query(&A, VA_P, UMBRA_QUERY_ACTION), UMBRA_ACTION(UMBRA_ACT_FAULT, tag),
	      "%s: QUERY action", what);

	int aw[4] = {0}, aa[4] = {0};
	unsigned nv = 0;
	enum env envs[2] = {e, KUSER};
	for (unsigned k = 0; k < (e == KERNEL ? 2u : 1u); k++) {
		enum env f = envs[k];
		for (unsigned op = OP_R; op <= OP_AMO; op++) {
			if (f == KUSER && op == OP_X)
				continue; /* S-mode never executes user pages */
			int ok = op == OP_AMO ? (bits & RW) == RW : !!(bits & (1u << op));
			if (ok) {
				expect_ok(f, op, what);
			} else {
				expect_fault(f, op, what);
				nv++;
			}
			if (op == OP_W)
				aw[f] = ok;
			if (op == OP_AMO)
				aa[f] = ok;
		}
	}
	/* the other environments keep their rights */
	for (unsigned f = OWNER; f <= OTHER; f++)
		if (env_class[f] != c)
			expect_ok(f, OP_R, what);
	CHECK(query(&A, VA_P, UMBRA_QUERY_VIOLATIONS), v0 + nv, "%s: QUERY violations", what);
	CHECK(stat(&A, UMBRA_STAT_VIOLATIONS), s0 + nv, "%s: STATS violations", what);
	CHECK_HC(unprotect(&A, VA_P, 1), UMBRA_OK, 1, "%s: UNPROTECT", what);
	check_writes(what, aw, aa);
}

__attribute__((unused)) static void test_rights(void)
{
	section("rights");
	static const enum env envs[] = {OWNER, KERNEL, OTHER};
	uint64_t tag = 0x100;
	for (unsigned i = 0; i < 3; i++) {
		rights_config(envs[i], RWX, tag++);
		rights_config(envs[i], 0, tag++);
		for (unsigned bit = 0; bit < 3; bit++) {
			rights_config(envs[i], RWX & ~(1u << bit), tag++);
			rights_config(envs[i], 1u << bit, tag++);
		}
	}
}

/* ---- actions -------------------------------------------------------------------------- */
__attribute__((unused)) static void test_silent_report(void)
{
	static const enum env envs[] = {OWNER, KERNEL, OTHER};
	for (unsigned i = 0; i < 3; i++) {
		enum env e = envs[i];
		unsigned c = env_class[e];

		section("action SILENT");
		fill(P);
		CHECK_HC(protect(&A, VA_P, 1, rights_with(c, 0), UMBRA_ACTION(UMBRA_ACT_SILENT, 7)),
			 UMBRA_OK, 1, "%s: PROTECT", env_name[e]);
		uint64_t v0 = query(&A, VA_P, UMBRA_QUERY_VIOLATIONS);
		unsigned nv = 0;
		enum env fs[2] = {e, KUSER};
		for (unsigned k = 0; k < (e == KERNEL ? 2u : 1u); k++) {
			enum env f = fs[k];
			struct pr r = env_access(f, OP_R, OFF_R, 0);
			CHECK(r.cause, NOFAULT, "%s read: no fault", env_name[f]);
			CHECK(r.value, 0, "%s read: sees zero", env_name[f]);
			r = env_access(f, OP_W, woff(f), WVAL);
			CHECK(r.cause, NOFAULT, "%s write: no fault", env_name[f]);
			r = env_access(f, OP_AMO, woff(f) + 8, 1);
			CHECK(r.cause, NOFAULT, "%s amo: no fault", env_name[f]);
			CHECK(r.value, 0, "%s amo: sees zero", env_name[f]);
			nv += 3;
		}
		CHECK(query(&A, VA_P, UMBRA_QUERY_VIOLATIONS), v0 + nv, "%s: violations counted",
		      env_name[e]);
		CHECK_HC(unprotect(&A, VA_P, 1), UMBRA_OK, 1, "%s: UNPROTECT", env_name[e]);
		int none[4] = {0};
		check_writes("SILENT: writes dropped", none, none);

		section("action REPORT");
		fill(P);
		CHECK_HC(protect(&A, VA_P, 1, rights_with(c, 0), UMBRA_ACTION(UMBRA_ACT_REPORT, 8)),
			 UMBRA_OK, 1, "%s: PROTECT", env_name[e]);
		v0 = query(&A, VA_P, UMBRA_QUERY_VIOLATIONS);
		uint64_t s0 = stat(&A, UMBRA_STAT_VIOLATIONS);
		nv = 0;
		int aw[4] = {0}, aa[4] = {0};
		for (unsigned k = 0; k < (e == KERNEL ? 2u : 1u); k++) {
			enum env f = fs[k];
			for (unsigned op = OP_R; op <= OP_AMO; op++) {
				if (f == KUSER && op == OP_X)
					continue;
				uint64_t before = query(&A, VA_P, UMBRA_QUERY_VIOLATIONS);
				expect_ok(f, op, "REPORT allows");
				/* the exec runs two instructions of the page: two fetches */
				unsigned n = op == OP_X ? 2 : 1;
				CHECK(query(&A, VA_P, UMBRA_QUERY_VIOLATIONS) - before, n,
				      "REPORT: %s %s counted once per access", env_name[f], op_name[op]);
				nv += n;
			}
			aw[f] = aa[f] = 1;
		}
		CHECK(query(&A, VA_P, UMBRA_QUERY_VIOLATIONS), v0 + nv, "%s: QUERY violations",
		      env_name[e]);
		CHECK(stat(&A, UMBRA_STAT_VIOLATIONS), s0 + nv, "%s: STATS violations", env_name[e]);
		CHECK_HC(unprotect(&A, VA_P, 1), UMBRA_OK, 1, "%s: UNPROTECT", env_name[e]);
		check_writes("REPORT: writes done", aw, aa);

		/* UPCALL: the owner has no handler yet; others never get upcalls */
		section("action UPCALL without a handler");
		fill(P);
		CHECK_HC(protect(&A, VA_P, 1, rights_with(c, 0), UMBRA_ACTION(UMBRA_ACT_UPCALL, 9)),
			 UMBRA_OK, 1, "%s: PROTECT", env_name[e]);
		v0 = query(&A, VA_P, UMBRA_QUERY_VIOLATIONS);
		expect_fault(e, OP_R, "UPCALL as FAULT");
		expect_fault(e, OP_W, "UPCALL as FAULT");
		CHECK(query(&A, VA_P, UMBRA_QUERY_VIOLATIONS), v0 + 2, "%s: violations counted",
		      env_name[e]);
		CHECK_HC(unprotect(&A, VA_P, 1), UMBRA_OK, 1, "%s: UNPROTECT", env_name[e]);
		check_writes("UPCALL as FAULT: writes denied", none, none);
	}
}

/* ---- upcalls -------------------------------------------------------------------------- */
static void reset_mbox(uint64_t disp, uint64_t code, uint64_t unprot)
{
	mbox = (struct mbox){0};
	mbox.disp = disp;
	mbox.code = code;
	mbox.unprot = unprot;
	mbox.unprot_err = 0x7777;
	mbox.ret_err = 0x7777;
}

/* the registers a run ends with, except those the stub sets */
static void check_regs(const char *what, uint64_t skip_mask)
{
	for (unsigned i = 1; i < 32; i++) {
		if (i == 2 || i == 10 || i == 11 || i == 12 || i == 17 || (skip_mask >> i & 1))
			continue;
		CHECK(uc.x[i], REGPAT(i), "%s: x%u restored", what, i);
	}
	CHECK(uc.x[2], A.stack_top, "%s: sp restored", what);
}

static void check_entry(const char *what, uint64_t addr, uint64_t access, uint64_t tag,
			uint64_t pc, uint64_t count)
{
	CHECK(mbox.count, count, "%s: handler entries", what);
	CHECK(mbox.addr, addr, "%s: a0 (address)", what);
	CHECK(mbox.access, access, "%s: a1 (access)", what);
	CHECK(mbox.env, UMBRA_ENV_OWNER, "%s: a2 (environment)", what);
	CHECK(mbox.tag, tag, "%s: a3 (tag)", what);
	CHECK(mbox.pc, pc, "%s: a4 (pc)", what);
	CHECK(mbox.sp, A.stack_top, "%s: sp at entry", what);
	CHECK(mbox.s2, REGPAT(18), "%s: s2 at entry", what);
	CHECK(mbox.gp, REGPAT(3), "%s: gp at entry", what);
	CHECK(mbox.tp, REGPAT(4), "%s: tp at entry", what);
}

__attribute__((unused)) static void test_upcall(void)
{
	section("upcall: SET_HANDLER");
	CHECK_HC(uhc(&A, UMBRA_FN_SET_HANDLER, VA_HOLE, 0, 0, 0), UMBRA_ERR_INVALID_ADDRESS, 0,
		 "handler at an unmapped address");
	CHECK_HC(uhc(&A, UMBRA_FN_SET_HANDLER, pa_of(kmain), 0, 0, 0), UMBRA_ERR_INVALID_ADDRESS, 0,
		 "handler on a kernel-only page");
	CHECK_HC(khc(UMBRA_FN_SET_HANDLER, pa_of(u_handler), 0, 0, 0), UMBRA_ERR_DENIED, 0,
		 "SET_HANDLER from S-mode");
	/* the refused calls set nothing: still FAULT */
	fill(P);
	CHECK_HC(protect(&A, VA_P, 1, rights_with(UMBRA_ENV_OWNER, 0), UMBRA_ACTION(UMBRA_ACT_UPCALL, 1)),
		 UMBRA_OK, 1, "PROTECT");
	reset_mbox(UMBRA_UPCALL_SKIP, 0, 0);
	expect_fault(OWNER, OP_R, "after refused SET_HANDLERs: FAULT");
	CHECK(mbox.count, 0, "no handler ran");
	CHECK_HC(uhc(&A, UMBRA_FN_SET_HANDLER, pa_of(u_handler), 0, 0, 0), UMBRA_OK, 0,
		 "SET_HANDLER(u_handler)");

	const uint64_t tag = 0xabcdef12ul;
	CHECK_HC(protect(&A, VA_P, 1, rights_with(UMBRA_ENV_OWNER, 0), UMBRA_ACTION(UMBRA_ACT_UPCALL, tag)),
		 UMBRA_OK, 1, "re-PROTECT with the tag");
	uint64_t v0 = query(&A, VA_P, UMBRA_QUERY_VIOLATIONS);

	section("upcall: SKIP a load");
	reset_mbox(UMBRA_UPCALL_SKIP, 0, 0);
	uprep(&A);
	uc.x[10] = 0x1234;
	uc.x[11] = VA_P + OFF_R;
	CHECK(ugo(&A, pa_of(u_ld)), RUN_DONE, "the program ends normally (cause, pc 0x%lx)", uc.pc);
	CHECK(uc.x[10], 0x1234, "skipped load: a0 keeps its value");
	check_regs("SKIP load", 0);
	check_entry("SKIP load", VA_P + OFF_R, UMBRA_ACCESS_READ, tag, pa_of(u_ld_insn), 1);
	CHECK(mbox.ra, REGPAT(1), "SKIP load: ra at entry");
	CHECK(query(&A, VA_P, UMBRA_QUERY_VIOLATIONS), v0 + 1, "violation counted");

	section("upcall: SKIP a compressed load");
	reset_mbox(UMBRA_UPCALL_SKIP, 0, 0);
	uprep(&A);
	uc.x[10] = 0x1234;
	uc.x[11] = VA_P + OFF_R;
	CHECK(ugo(&A, pa_of(u_ldc)), RUN_DONE, "the program ends normally (pc 0x%lx)", uc.pc);
	CHECK(uc.x[10], 0x1234, "skipped c.ld: a0 keeps its value");
	CHECK(uc.x[13], 7, "the instruction after the 2-byte c.ld ran");
	check_regs("SKIP c.ld", 1ul << 13);
	check_entry("SKIP c.ld", VA_P + OFF_R, UMBRA_ACCESS_READ, tag, pa_of(u_ldc_insn), 1);

	section("upcall: SKIP a store");
	reset_mbox(UMBRA_UPCALL_SKIP, 0, 0);
	uprep(&A);
	uc.x[11] = VA_P + woff(OWNER);
	uc.x[12] = WVAL;
	CHECK(ugo(&A, pa_of(u_sd)), RUN_DONE, "the program ends normally (pc 0x%lx)", uc.pc);
	check_regs("SKIP store", 0);
	check_entry("SKIP store", VA_P + woff(OWNER), UMBRA_ACCESS_WRITE, tag, pa_of(u_sd_insn), 1);

	section("upcall: SKIP an amo");
	reset_mbox(UMBRA_UPCALL_SKIP, 0, 0);
	struct pr r = uprobe(&A, OP_AMO, VA_P + woff(OWNER) + 8, 1);
	CHECK(r.cause, NOFAULT, "amo skipped: the program ends normally");
	CHECK(r.value, PROBE_SENTINEL, "amo skipped: a0 keeps its value");
	CHECK(mbox.count, 1, "amo: handler entries");
	CHECK(mbox.access, UMBRA_ACCESS_WRITE, "amo: a1 (access) is WRITE");
	CHECK(query(&A, VA_P, UMBRA_QUERY_VIOLATIONS), v0 + 4, "4 violations counted");

	section("upcall: others get FAULT");
	reset_mbox(UMBRA_UPCALL_SKIP, 0, 0);
	CHECK_HC(protect(&A, VA_P, 1, UMBRA_RIGHTS(0, 0, 0, RW), UMBRA_ACTION(UMBRA_ACT_UPCALL, tag)),
		 UMBRA_OK, 1, "PROTECT, no rights for anyone");
	expect_fault(OTHER, OP_R, "UPCALL, other");
	expect_fault(OTHER, OP_W, "UPCALL, other");
	expect_fault(KERNEL, OP_R, "UPCALL, kernel");
	expect_fault(KERNEL, OP_X, "UPCALL, kernel");
	expect_fault(KUSER, OP_W, "UPCALL, kernel");
	CHECK(mbox.count, 0, "the owner's handler never ran for others");
	CHECK_HC(unprotect(&A, VA_P, 1), UMBRA_OK, 1, "UNPROTECT");
	/* B's own UPCALL range: B has no handler (A's is A's) */
	uint64_t *pb = alloc_page();
	map(&B, VB_OWN, pa_of(pb), PTE_URWX);
	CHECK_HC(protect(&B, VB_OWN, 1, UMBRA_RIGHTS(0, RW, 0, RW), UMBRA_ACTION(UMBRA_ACT_UPCALL, 5)),
		 UMBRA_OK, 1, "B protects its own page");
	r = uprobe(&B, OP_R, VB_OWN, 0);
	CHECK(r.cause, CAUSE_LOAD_ACCESS, "B without a handler: FAULT");
	CHECK(mbox.count, 0, "A's handler did not run for B");
	CHECK_HC(unprotect(&B, VB_OWN, 1), UMBRA_OK, 1, "B unprotects");

	section("upcall: RETRY after UNPROTECT");
	fill(P);
	CHECK_HC(protect(&A, VA_P, 1, rights_with(UMBRA_ENV_OWNER, 0), UMBRA_ACTION(UMBRA_ACT_UPCALL, tag)),
		 UMBRA_OK, 1, "PROTECT");
	uint64_t pages = stat(&A, UMBRA_STAT_PAGES);
	reset_mbox(UMBRA_UPCALL_RETRY, 0, 1);
	uprep(&A);
	uc.x[10] = 0x1234;
	uc.x[11] = VA_P + OFF_R;
	CHECK(ugo(&A, pa_of(u_ld)), RUN_DONE, "the program ends normally (pc 0x%lx)", uc.pc);
	CHECK(uc.x[10], patw(P, OFF_R), "retried load: a0 = the value");
	check_regs("RETRY load", 0);
	check_entry("RETRY load", VA_P + OFF_R, UMBRA_ACCESS_READ, tag, pa_of(u_ld_insn), 1);
	CHECK(mbox.unprot_err, UMBRA_OK, "UNPROTECT inside the handler");
	CHECK(stat(&A, UMBRA_STAT_PAGES), pages - 1, "the page is unprotected");

	section("upcall: RETRY an instruction fetch");
	CHECK_HC(protect(&A, VA_P, 1, rights_with(UMBRA_ENV_OWNER, RW), UMBRA_ACTION(UMBRA_ACT_UPCALL, tag + 1)),
		 UMBRA_OK, 1, "PROTECT without X");
	reset_mbox(UMBRA_UPCALL_RETRY, 0, 1);
	r = uprobe(&A, OP_X, VA_P + OFF_X, 0);
	CHECK(r.cause, NOFAULT, "exec retried: the program ends normally");
	CHECK(r.value, 0x42, "exec retried: the stub ran");
	CHECK(mbox.count, 1, "exec: handler entries");
	CHECK(mbox.addr, VA_P + OFF_X, "exec: a0 (address)");
	CHECK(mbox.access, UMBRA_ACCESS_EXEC, "exec: a1 (access)");
	CHECK(mbox.pc, VA_P + OFF_X, "exec: a4 (pc)");
	CHECK(mbox.tag, tag + 1, "exec: a3 (tag)");

	section("upcall: EXIT");
	CHECK_HC(protect(&A, VA_P, 1, rights_with(UMBRA_ENV_OWNER, 0), UMBRA_ACTION(UMBRA_ACT_UPCALL, tag)),
		 UMBRA_OK, 1, "PROTECT");
	reset_mbox(UMBRA_UPCALL_EXIT, 77, 0);
	uprep(&A);
	uc.x[11] = VA_P + woff(OWNER);
	uc.x[12] = WVAL;
	CHECK(ugo(&A, pa_of(u_sd)), RUN_EXIT, "the program makes exit_group (a7 = 0x%lx)", uc.x[17]);
	CHECK(uc.x[10], 77, "exit_group's code");
	CHECK(mbox.count, 1, "EXIT: handler entries");
	CHECK_HC(unprotect(&A, VA_P, 1), UMBRA_OK, 1, "UNPROTECT");
	int none[4] = {0};
	check_writes("upcalls: skipped writes", none, none);

	section("upcall: UPCALL_RETURN outside an upcall");
	struct hret h = uhc(&A, UMBRA_FN_UPCALL_RETURN, UMBRA_UPCALL_RETRY, 0, 0, 0);
	CHECK(h.run, RUN_DONE, "it returns to the caller");
	CHECK(h.error != UMBRA_OK, 1, "it fails (error %ld)", h.error);
	note("UPCALL_RETURN outside an upcall: error %ld", h.error);
}

/* run last: leaves A inside an upcall if umbra keeps the upcall open */
__attribute__((unused)) static void test_upcall_bad_return(void)
{
	section("upcall: bad disposition");
	fill(P);
	CHECK_HC(protect(&A, VA_P, 1, rights_with(UMBRA_ENV_OWNER, 0), UMBRA_ACTION(UMBRA_ACT_UPCALL, 3)),
		 UMBRA_OK, 1, "PROTECT");
	reset_mbox(7, 0, 1); /* unprotect first, so that a RETRY would end the program */
	uprep(&A);
	uc.x[11] = VA_P + OFF_R;
	CHECK(ugo(&A, pa_of(u_ld)), RUN_HRET_FAILED, "UPCALL_RETURN(7) returns to the handler");
	CHECK(mbox.ret_err, (uint64_t)UMBRA_ERR_INVALID_PARAM, "UPCALL_RETURN(7): error");
}

/* ---- ownership, S-mode calls, PROBE ------------------------------------------------- */
__attribute__((unused)) static void test_ownership(void)
{
	section("probe");
	struct hret h = khc(UMBRA_FN_PROBE, 0, 0, 0, 0);
	CHECK(h.error, UMBRA_OK, "PROBE from S-mode");
	CHECK(h.value >> 32, UMBRA_ABI_VERSION, "PROBE: version");
	CHECK(h.value & (UMBRA_FEAT_PROTECT | UMBRA_FEAT_UPCALL), UMBRA_FEAT_PROTECT | UMBRA_FEAT_UPCALL,
	      "PROBE: features PROTECT and UPCALL");
	CHECK_HC(uhc(&A, UMBRA_FN_PROBE, 0, 0, 0, 0), UMBRA_OK, h.value, "PROBE from A");
	CHECK_HC(uhc(&B, UMBRA_FN_PROBE, 0, 0, 0, 0), UMBRA_OK, h.value, "PROBE from B");
	CHECK(ucall(&A, u_lib_probe, 0, 0, 0, 0), UMBRA_OK, "umbra_probe()");
	CHECK(ulib_res.done, h.value, "umbra_probe(): version << 32 | features");
	CHECK_HC(khc(99, 0, 0, 0, 0), UMBRA_ERR_NOT_SUPPORTED, 0, "function 99 from S-mode");
	CHECK_HC(uhc(&A, 99, 0, 0, 0, 0), UMBRA_ERR_NOT_SUPPORTED, 0, "function 99 from U-mode");

	section("S-mode calls");
	use_space(&A);
	CHECK_HC(khc(UMBRA_FN_PROTECT, VA_P, 1, UMBRA_RIGHTS(RW, 0, 0, 0), 0), UMBRA_ERR_DENIED, 0,
		 "PROTECT from S-mode");
	CHECK_HC(khc(UMBRA_FN_UNPROTECT, VA_P, 1, 0, 0), UMBRA_ERR_DENIED, 0, "UNPROTECT from S-mode");
	struct hret st = khc(UMBRA_FN_STATS, UMBRA_STAT_PAGES, 0, 0, 0);
	CHECK(st.error, UMBRA_OK, "STATS from S-mode");
	note("STATS(PAGES) from S-mode: value %lu", st.value);
	CHECK(stat(&A, UMBRA_STAT_PAGES), 0, "A has no protected pages");

	section("ownership");
	fill(P);
	uint64_t rights = UMBRA_RIGHTS(RW, RWX, R, RW);
	CHECK_HC(protect(&A, VA_P, 1, rights, UMBRA_ACTION(UMBRA_ACT_FAULT, 0x55)), UMBRA_OK, 1,
		 "A protects P");
	CHECK(stat(&A, UMBRA_STAT_PAGES), 1, "A: STATS pages");
	CHECK(stat(&B, UMBRA_STAT_PAGES), 0, "B: STATS pages");
	CHECK_HC(protect(&B, VB_P, 1, UMBRA_RIGHTS(RWX, RWX, RWX, RW), 0), UMBRA_ERR_DENIED, 0,
		 "B protects A's page");
	CHECK_HC(unprotect(&B, VB_P, 1), UMBRA_OK, 1, "B unprotects A's page: skipped");
	CHECK(query(&A, VA_P, UMBRA_QUERY_RIGHTS), rights | UMBRA_PROTECTED, "A's rights stay");
	expect_ok(OTHER, OP_R, "B reads (other r--)");
	expect_fault(OTHER, OP_W, "B writes (other r--)");
	expect_fault(OWNER, OP_X, "A executes (owner rw-)");
	/* the address space is its root page table, whatever the ASID */
	struct space a2 = A;
	a2.satp |= 5ul << 44;
	struct pr r = uprobe(&a2, OP_R, VA_P + OFF_R, 0);
	CHECK(r.cause, NOFAULT, "A with another ASID reads as the owner");
	r = uprobe(&a2, OP_X, VA_P + OFF_X, 0);
	CHECK(r.cause, CAUSE_FETCH_ACCESS, "A with another ASID executes as the owner");

	uint64_t rights2 = UMBRA_RIGHTS(RWX, R, 0, 0);
	CHECK_HC(protect(&A, VA_P, 1, rights2, UMBRA_ACTION(UMBRA_ACT_REPORT, 0x66)), UMBRA_OK, 1,
		 "A re-protects P");
	CHECK(query(&A, VA_P, UMBRA_QUERY_RIGHTS), rights2 | UMBRA_PROTECTED, "rights replaced");
	CHECK(query(&A, VA_P, UMBRA_QUERY_ACTION), UMBRA_ACTION(UMBRA_ACT_REPORT, 0x66), "action replaced");
	CHECK(stat(&A, UMBRA_STAT_PAGES), 1, "still one page");
	uint64_t v0 = query(&A, VA_P, UMBRA_QUERY_VIOLATIONS);
	expect_ok(OWNER, OP_X, "owner rwx");
	expect_ok(OTHER, OP_R, "other --- under REPORT");
	CHECK(query(&A, VA_P, UMBRA_QUERY_VIOLATIONS), v0 + 1, "one violation reported");
	CHECK_HC(unprotect(&A, VA_P, 1), UMBRA_OK, 1, "UNPROTECT");
	CHECK(query(&A, VA_P, UMBRA_QUERY_RIGHTS), 0, "QUERY rights of an unprotected page");
	CHECK(stat(&A, UMBRA_STAT_PAGES), 0, "A: no pages");
}

/* ---- bad input, partial progress, batching ------------------------------------------- */
__attribute__((unused)) static void test_errors(void)
{
	section("bad input");
	uint64_t *e0 = alloc_page(), *e1 = alloc_page(), *nou = alloc_page();
	map(&A, VA_E, pa_of(e0), PTE_URW);
	map(&A, VA_E + PAGE, pa_of(e1), PTE_URW);
	map(&A, VA_NOU, pa_of(nou), PTE_R | PTE_W | PTE_A | PTE_D);
	*pte_slot(&A, VA_INV, 0) = leaf(pa_of(nou), PTE_URW) & ~PTE_V;
	flush_tlb();
	const uint64_t ok_rights = UMBRA_RIGHTS(RW, RW, 0, 0), act = UMBRA_ACTION(UMBRA_ACT_FAULT, 0);

	CHECK_HC(protect(&A, VA_E + 8, 1, ok_rights, act), UMBRA_ERR_INVALID_ADDRESS, 0, "unaligned");
	CHECK_HC(protect(&A, 0xfffffffffffff000ul, 2, ok_rights, act), UMBRA_ERR_INVALID_ADDRESS, 0,
		 "range past 2^64");
	CHECK_HC(protect(&A, VA_E, 1ul << 52, ok_rights, act), UMBRA_ERR_INVALID_ADDRESS, 0,
		 "npages * 4096 overflows");
	CHECK_HC(protect(&A, VA_E, 0, ok_rights, act), UMBRA_ERR_INVALID_PARAM, 0, "zero pages");
	CHECK_HC(protect(&A, VA_E, 1, ok_rights | 8, act), UMBRA_ERR_INVALID_PARAM, 0, "rights bit 3");
	CHECK_HC(protect(&A, VA_E, 1, ok_rights | 1ul << 31, act), UMBRA_ERR_INVALID_PARAM, 0,
		 "rights bit 31");
	CHECK_HC(protect(&A, VA_E, 1, ok_rights | 1ul << 33, act), UMBRA_ERR_INVALID_PARAM, 0,
		 "rights bit 33");
	CHECK_HC(protect(&A, VA_E, 1, ok_rights | 1ul << 63, act), UMBRA_ERR_INVALID_PARAM, 0,
		 "rights bit 63");
	CHECK_HC(protect(&A, VA_E, 1, ok_rights, 5), UMBRA_ERR_INVALID_PARAM, 0, "action 5");
	CHECK_HC(protect(&A, VA_E, 1, ok_rights, 0xff), UMBRA_ERR_INVALID_PARAM, 0, "action 0xff");
	CHECK_HC(protect(&A, VA_E, 1, ok_rights, 0x100), UMBRA_ERR_INVALID_PARAM, 0,
		 "action bits 31..8 not zero");
	CHECK_HC(protect(&A, VA_HOLE, 1, ok_rights, act), UMBRA_ERR_INVALID_ADDRESS, 0, "unmapped page");
	CHECK_HC(protect(&A, VA_NOU, 1, ok_rights, act), UMBRA_ERR_INVALID_ADDRESS, 0,
		 "page without the U bit");
	CHECK_HC(protect(&A, VA_INV, 1, ok_rights, act), UMBRA_ERR_INVALID_ADDRESS, 0,
		 "invalid PTE (V = 0)");
	CHECK(stat(&A, UMBRA_STAT_PAGES), 0, "nothing was protected by the refused calls");
	CHECK_HC(unprotect(&A, VA_E + 8, 1), UMBRA_ERR_INVALID_ADDRESS, 0, "UNPROTECT unaligned");
	CHECK_HC(unprotect(&A, VA_E, 0), UMBRA_ERR_INVALID_PARAM, 0, "UNPROTECT zero pages");
	CHECK_HC(unprotect(&A, VA_E, 2), UMBRA_OK, 2, "UNPROTECT of unprotected pages: done");
	CHECK_HC(uhc(&A, UMBRA_FN_QUERY, VA_E, 99, 0, 0), UMBRA_ERR_INVALID_PARAM, 0, "QUERY what = 99");
	CHECK_HC(uhc(&A, UMBRA_FN_STATS, 99, 0, 0, 0), UMBRA_ERR_INVALID_PARAM, 0, "STATS what = 99");

	section("partial progress");
	CHECK_HC(protect(&A, VA_E, 3, ok_rights, act), UMBRA_OK, 2, "2 mapped pages, then a hole");
	CHECK_HC(protect(&A, VA_E + 2 * PAGE, 1, ok_rights, act), UMBRA_ERR_INVALID_ADDRESS, 0,
		 "resumed at the hole");
	CHECK(query(&A, VA_E, UMBRA_QUERY_RIGHTS), ok_rights | UMBRA_PROTECTED, "first page protected");
	CHECK(query(&A, VA_E + PAGE, UMBRA_QUERY_RIGHTS), ok_rights | UMBRA_PROTECTED, "second page protected");
	CHECK(stat(&A, UMBRA_STAT_PAGES), 2, "STATS pages");
	CHECK_HC(unprotect(&A, VA_E, 2), UMBRA_OK, 2, "UNPROTECT");
	CHECK_HC(protect(&A, VA_E + PAGE, 1ul << 40, ok_rights, act), UMBRA_OK, 1,
		 "a huge request: one mapped page");
	CHECK_HC(unprotect(&A, VA_E + PAGE, 1), UMBRA_OK, 1, "UNPROTECT");

	section("batches");
	uint64_t *big = alloc_pages(600);
	for (unsigned i = 0; i < 600; i++)
		map(&A, VA_BIG + i * PAGE, pa_of(big) + i * PAGE, PTE_URW);
	CHECK_HC(protect(&A, VA_BIG, 600, ok_rights, act), UMBRA_OK, UMBRA_MAX_PAGES_PER_CALL,
		 "600 pages: first call");
	CHECK_HC(protect(&A, VA_BIG + UMBRA_MAX_PAGES_PER_CALL * PAGE, 600 - UMBRA_MAX_PAGES_PER_CALL,
			 ok_rights, act),
		 UMBRA_OK, 600 - UMBRA_MAX_PAGES_PER_CALL, "600 pages: resumed");
	CHECK(stat(&A, UMBRA_STAT_PAGES), 600, "STATS pages");
	CHECK(query(&A, VA_BIG + 599 * PAGE, UMBRA_QUERY_RIGHTS), ok_rights | UMBRA_PROTECTED, "last page protected");
	CHECK_HC(unprotect(&A, VA_BIG, 600), UMBRA_OK, UMBRA_MAX_PAGES_PER_CALL, "UNPROTECT 600: first");
	CHECK_HC(unprotect(&A, VA_BIG + UMBRA_MAX_PAGES_PER_CALL * PAGE, 600 - UMBRA_MAX_PAGES_PER_CALL),
		 UMBRA_OK, 600 - UMBRA_MAX_PAGES_PER_CALL, "UNPROTECT 600: resumed");
	CHECK(stat(&A, UMBRA_STAT_PAGES), 0, "STATS pages");
	/* the library resumes by itself */
	CHECK(ucall(&A, u_lib_protect, VA_BIG, 600, ok_rights, act), UMBRA_OK, "umbra_protect(600)");
	CHECK(ulib_res.done, 600, "umbra_protect(600): done");
	CHECK(ucall(&A, u_lib_unprotect, VA_BIG, 600, 0, 0), UMBRA_OK, "umbra_unprotect(600)");
	CHECK(ulib_res.done, 600, "umbra_unprotect(600): done");
	CHECK(ucall(&A, u_lib_protect, VA_BIG + 500 * PAGE, 101, ok_rights, act),
	      (uint64_t)UMBRA_ERR_INVALID_ADDRESS, "umbra_protect past the end");
	CHECK(ulib_res.done, 100, "umbra_protect past the end: done");
	CHECK(ucall(&A, u_lib_query_stats, VA_BIG + 599 * PAGE, UMBRA_QUERY_RIGHTS, UMBRA_STAT_PAGES, 0),
	      100, "umbra_stats(): pages");
	CHECK(ulib_res.done, ok_rights | UMBRA_PROTECTED, "umbra_query(): rights");
	CHECK(ucall(&A, u_lib_unprotect, VA_BIG + 500 * PAGE, 100, 0, 0), UMBRA_OK, "umbra_unprotect(100)");

	section("superpage");
	/* one 4 KiB page inside a 2 MiB user page */
	void *mark = pool_mark();
	pool_reset_to((void *)((pa_of(mark) + MEGA - 1) & ~(MEGA - 1)));
	uint64_t *mega = alloc_pages(512);
	map_mega(&A, VA_MEGA, pa_of(mega), PTE_URW);
	CHECK_HC(protect(&A, VA_MEGA + 3 * PAGE, 1, UMBRA_RIGHTS(R, RW, 0, 0), act), UMBRA_OK, 1,
		 "PROTECT a page of a 2 MiB page");
	struct pr r = uprobe(&A, OP_W, VA_MEGA + 3 * PAGE + 16, 1);
	CHECK(r.cause, CAUSE_STORE_ACCESS, "write to the protected 4 KiB: cause");
	CHECK(r.tval, VA_MEGA + 3 * PAGE + 16, "write to the protected 4 KiB: tval");
	r = uprobe(&A, OP_R, VA_MEGA + 3 * PAGE + 16, 1);
	CHECK(r.cause, NOFAULT, "read of the protected 4 KiB");
	r = uprobe(&A, OP_W, VA_MEGA + 3 * PAGE - 8, 2);
	CHECK(r.cause, NOFAULT, "write just below");
	r = uprobe(&A, OP_W, VA_MEGA + 4 * PAGE, 3);
	CHECK(r.cause, NOFAULT, "write just above");
	CHECK(mega[(3 * PAGE + 16) / 8], 0, "protected word unchanged");
	CHECK(mega[(4 * PAGE) / 8], 3, "neighbour written");
	CHECK_HC(unprotect(&A, VA_MEGA + 3 * PAGE, 1), UMBRA_OK, 1, "UNPROTECT");
	r = uprobe(&A, OP_W, VA_MEGA + 3 * PAGE + 16, 1);
	CHECK(r.cause, NOFAULT, "write after UNPROTECT");
}

/* ---- sealing ---------------------------------------------------------------------------- */
static uint64_t *S1;

__attribute__((unused)) static void test_seal(void)
{
	section("seal");
	S1 = alloc_page();
	uint64_t *u1 = alloc_page();
	fill(S1);
	map(&A, VA_S1, pa_of(S1), PTE_URWX);
	map(&A, VA_S1 - PAGE, pa_of(u1), PTE_URWX);
	const uint64_t act = UMBRA_ACTION(UMBRA_ACT_FAULT, 0x5ea1);
	uint64_t sealed = UMBRA_RIGHTS(R, RW, R, R) | UMBRA_SEAL;
	CHECK_HC(protect(&A, VA_S1, 1, sealed, act), UMBRA_OK, 1, "PROTECT sealed");
	CHECK(query(&A, VA_S1, UMBRA_QUERY_RIGHTS), sealed | UMBRA_PROTECTED, "QUERY rights shows the seal");
	CHECK_HC(protect(&A, VA_S1, 1, UMBRA_RIGHTS(RW, RW, R, R) | UMBRA_SEAL, act), UMBRA_ERR_DENIED,
		 0, "add owner W");
	CHECK_HC(protect(&A, VA_S1, 1, UMBRA_RIGHTS(R, RWX, R, R) | UMBRA_SEAL, act), UMBRA_ERR_DENIED,
		 0, "add kernel X");
	CHECK_HC(protect(&A, VA_S1, 1, UMBRA_RIGHTS(R, RW, RW, R) | UMBRA_SEAL, act), UMBRA_ERR_DENIED,
		 0, "add other W");
	CHECK_HC(protect(&A, VA_S1, 1, UMBRA_RIGHTS(R, RW, R, RW) | UMBRA_SEAL, act), UMBRA_ERR_DENIED,
		 0, "add device W");
	CHECK_HC(protect(&A, VA_S1, 1, UMBRA_RIGHTS(R, RW, R, R), act), UMBRA_ERR_DENIED, 0,
		 "drop the seal");
	CHECK_HC(protect(&A, VA_S1, 1, UMBRA_RIGHTS(RW, R, R, R) | UMBRA_SEAL, act), UMBRA_ERR_DENIED,
		 0, "add one right, remove another");
	CHECK_HC(unprotect(&A, VA_S1, 1), UMBRA_ERR_DENIED, 0, "UNPROTECT sealed");
	CHECK(query(&A, VA_S1, UMBRA_QUERY_RIGHTS), sealed | UMBRA_PROTECTED, "rights unchanged by the refused calls");
	CHECK_HC(protect(&A, VA_S1, 1, sealed, act), UMBRA_OK, 1, "the same rights again");
	uint64_t tight = UMBRA_RIGHTS(R, R, 0, R) | UMBRA_SEAL;
	CHECK_HC(protect(&A, VA_S1, 1, tight, act), UMBRA_OK, 1, "tighten (kernel W, other R removed)");
	CHECK(query(&A, VA_S1, UMBRA_QUERY_RIGHTS), tight | UMBRA_PROTECTED, "QUERY rights after tightening");
	CHECK_HC(protect(&A, VA_S1, 1, sealed, act), UMBRA_ERR_DENIED, 0, "loosen back");
	struct pr r = uprobe(&A, OP_W, VA_S1 + 0x100, 1);
	CHECK(r.cause, CAUSE_STORE_ACCESS, "owner write to the sealed page");
	r = uprobe(&A, OP_R, VA_S1 + OFF_R, 0);
	CHECK(r.cause, NOFAULT, "owner read of the sealed page");
	CHECK(r.value, patw(S1, OFF_R), "owner read of the sealed page: value");
	r = kprobe(OP_W, pa_of(S1) + 0x100, 1);
	CHECK(r.cause, CAUSE_STORE_ACCESS, "kernel write to the sealed page");
	CHECK(S1[0x100 / 8], patw(S1, 0x100), "sealed page unchanged");
	/* a range: an ordinary protected page, then the sealed one */
	CHECK_HC(protect(&A, VA_S1 - PAGE, 1, UMBRA_RIGHTS(RW, RW, 0, 0), act), UMBRA_OK, 1,
		 "PROTECT the page before");
	CHECK_HC(unprotect(&A, VA_S1 - PAGE, 2), UMBRA_OK, 1, "UNPROTECT [plain, sealed]: 1 done");
	CHECK_HC(unprotect(&A, VA_S1, 1), UMBRA_ERR_DENIED, 0, "resumed at the sealed page");
	CHECK(query(&A, VA_S1 - PAGE, UMBRA_QUERY_RIGHTS), 0, "the plain page is unprotected");
	CHECK(stat(&A, UMBRA_STAT_PAGES), 1, "STATS pages: the sealed one");
}

/* ---- remap and reuse ----------------------------------------------------------------------- */
__attribute__((unused)) static void test_remap(void)
{
	section("remap");
	uint64_t *p2 = alloc_page();
	fill(P);
	fill(p2);
	const uint64_t tag = 0x4e3a;
	CHECK_HC(protect(&A, VA_P, 1, UMBRA_RIGHTS(RWX, RWX, RWX, RW), UMBRA_ACTION(UMBRA_ACT_FAULT, tag)),
		 UMBRA_OK, 1, "PROTECT with every right");
	uint64_t s0 = stat(&A, UMBRA_STAT_VIOLATIONS);
	*pte_slot(&A, VA_P, 0) = leaf(pa_of(p2), PTE_URWX); /* the kernel remaps the owner's page */
	flush_tlb();
	struct pr r = uprobe(&A, OP_R, VA_P + OFF_R, 0);
	CHECK(r.cause, CAUSE_LOAD_ACCESS, "owner reads the remapped address: cause");
	CHECK(r.tval, VA_P + OFF_R, "owner reads the remapped address: tval");
	r = uprobe(&A, OP_W, VA_P + 0x100, WVAL);
	CHECK(r.cause, CAUSE_STORE_ACCESS, "owner writes the remapped address");
	r = uprobe(&A, OP_X, VA_P + OFF_X, 0);
	CHECK(r.cause, CAUSE_FETCH_ACCESS, "owner executes the remapped address");
	CHECK(p2[0x100 / 8], patw(p2, 0x100), "the other page unchanged");
	CHECK(stat(&A, UMBRA_STAT_VIOLATIONS), s0 + 3, "3 violations counted");
	*pte_slot(&A, VA_P, 0) = leaf(pa_of(P), PTE_URWX); /* and back */
	flush_tlb();
	r = uprobe(&A, OP_R, VA_P + OFF_R, 0);
	CHECK(r.cause, NOFAULT, "mapped back: owner reads");
	CHECK(r.value, patw(P, OFF_R), "mapped back: value");
	CHECK(query(&A, VA_P, UMBRA_QUERY_RIGHTS), UMBRA_RIGHTS(RWX, RWX, RWX, RW) | UMBRA_PROTECTED, "still protected");

	/* the same under SILENT */
	CHECK_HC(protect(&A, VA_P, 1, UMBRA_RIGHTS(RWX, RWX, RWX, RW), UMBRA_ACTION(UMBRA_ACT_SILENT, tag)),
		 UMBRA_OK, 1, "re-PROTECT SILENT");
	*pte_slot(&A, VA_P, 0) = leaf(pa_of(p2), PTE_URWX);
	flush_tlb();
	r = uprobe(&A, OP_R, VA_P + OFF_R, 0);
	CHECK(r.cause, NOFAULT, "SILENT: owner reads the remapped address: no fault");
	CHECK(r.value, 0, "SILENT: owner reads the remapped address: zero");
	r = uprobe(&A, OP_W, VA_P + 0x100, WVAL);
	CHECK(r.cause, NOFAULT, "SILENT: owner writes the remapped address: no fault");
	CHECK(p2[0x100 / 8], patw(p2, 0x100), "SILENT: the other page unchanged");
	*pte_slot(&A, VA_P, 0) = leaf(pa_of(P), PTE_URWX);
	flush_tlb();
	CHECK_HC(unprotect(&A, VA_P, 1), UMBRA_OK, 1, "UNPROTECT");
	CHECK(P[0x100 / 8], patw(P, 0x100), "P unchanged");

	section("reuse");
	fill(P);
	CHECK_HC(protect(&A, VA_P, 1, UMBRA_RIGHTS(RW, RW, R, 0), UMBRA_ACTION(UMBRA_ACT_FAULT, tag)),
		 UMBRA_OK, 1, "PROTECT (other r--)");
	map(&B, VB_NEW, pa_of(P), PTE_URWX); /* the kernel gives B the page */
	r = uprobe(&B, OP_R, VB_NEW + OFF_R, 0);
	CHECK(r.cause, NOFAULT, "B reads the reused page");
	CHECK(r.value, patw(P, OFF_R), "B reads the reused page: value");
	r = uprobe(&B, OP_W, VB_NEW + 0x100, WVAL);
	CHECK(r.cause, CAUSE_STORE_ACCESS, "B writes the reused page: cause");
	CHECK(r.tval, VB_NEW + 0x100, "B writes the reused page: tval");
	r = uprobe(&B, OP_X, VB_NEW + OFF_X, 0);
	CHECK(r.cause, CAUSE_FETCH_ACCESS, "B executes the reused page");
	/* a second mapping in the owner's own space: still the owner */
	map(&A, VA_ALIAS, pa_of(P), PTE_URWX);
	r = uprobe(&A, OP_W, VA_ALIAS + 0x100, WVAL);
	CHECK(r.cause, NOFAULT, "owner writes through a second mapping");
	r = uprobe(&A, OP_X, VA_ALIAS + OFF_X, 0);
	CHECK(r.cause, CAUSE_FETCH_ACCESS, "owner executes through a second mapping: cause");
	CHECK(r.tval, VA_ALIAS + OFF_X, "owner executes through a second mapping: tval");
	unmap(&B, VB_NEW);
	unmap(&A, VA_ALIAS);
	CHECK_HC(unprotect(&A, VA_P, 1), UMBRA_OK, 1, "UNPROTECT");
	CHECK(P[0x100 / 8], WVAL, "the owner's write landed");
}

/* ---- the address-space-gone rule ------------------------------------------------------ */
__attribute__((unused)) static void test_gone(void)
{
	section("gone: page unmapped from the owner");
	fill(P);
	CHECK_HC(protect(&A, VA_P, 1, UMBRA_RIGHTS(RW, 0, 0, 0), UMBRA_ACTION(UMBRA_ACT_FAULT, 0x90)),
		 UMBRA_OK, 1, "PROTECT (kernel ---)");
	uint64_t pages = stat(&A, UMBRA_STAT_PAGES);
	struct pr r = kprobe(OP_R, pa_of(P) + OFF_R, 0);
	CHECK(r.cause, CAUSE_LOAD_ACCESS, "kernel read while the owner maps it: denied");
	unmap(&A, VA_P); /* the kernel takes the page away from the owner */
	r = kprobe(OP_R, pa_of(P) + OFF_R, 0);
	CHECK(r.cause, NOFAULT, "kernel read after the owner lost the page: allowed");
	CHECK(r.value, 0, "kernel read after the owner lost the page: zeroed");
	CHECK(is_zero(P), 1, "the whole page is zeroed");
	CHECK(stat(&A, UMBRA_STAT_PAGES), pages - 1, "the protection is dropped");
	r = kprobe(OP_W, pa_of(P) + 0x100, WVAL);
	CHECK(r.cause, NOFAULT, "kernel write afterwards");
	map(&A, VA_P, pa_of(P), PTE_URWX);
	r = uprobe(&A, OP_R, VA_P + 0x100, 0);
	CHECK(r.cause, NOFAULT, "owner maps it again: unprotected");
	CHECK(r.value, WVAL, "owner sees the kernel's write");

	section("gone: page reused by the kernel (kernel rw), then touched by another program");
	fill(P);
	CHECK_HC(protect(&A, VA_P, 1, UMBRA_RIGHTS(RW, RW, 0, 0), UMBRA_ACTION(UMBRA_ACT_FAULT, 0x92)),
		 UMBRA_OK, 1, "PROTECT (kernel rw-, other ---)");
	unmap(&A, VA_P); /* the owner exits; the kernel frees its page */
	for (unsigned i = 0; i < 512; i++) /* and gives it to B: clear_page, new contents */
		P[i] = 0;
	P[0x100 / 8] = WVAL;
	CHECK(P[0x100 / 8], WVAL, "the kernel's writes (allowed) landed");
	r = uprobe(&B, OP_R, VB_P + 0x100, 0);
	CHECK(r.cause, NOFAULT, "B reads the reused page: no fault");
	CHECK(r.value, WVAL, "B reads the reused page: the kernel's new data, not zero");
	CHECK(P[0x100 / 8], WVAL, "the new data survives B's access");
	map(&A, VA_P, pa_of(P), PTE_URWX);
	CHECK_HC(unprotect(&A, VA_P, 1), UMBRA_OK, 1, "UNPROTECT (if still protected)");

	section("gone: the whole address space, sealed page");
	space_init(&C, "C", pa_of(ustack_c_top));
	uint64_t *p3 = alloc_page();
	fill(p3);
	map(&C, VA_C, pa_of(p3), PTE_URWX);
	CHECK_HC(protect(&C, VA_C, 1, UMBRA_RIGHTS(RW, 0, 0, 0) | UMBRA_SEAL, UMBRA_ACTION(UMBRA_ACT_FAULT, 0x91)),
		 UMBRA_OK, 1, "C protects its page, sealed");
	CHECK_HC(unprotect(&C, VA_C, 1), UMBRA_ERR_DENIED, 0, "C cannot unprotect it");
	map(&B, VB_P3, pa_of(p3), PTE_URWX);
	r = uprobe(&B, OP_R, VB_P3 + OFF_R, 0);
	CHECK(r.cause, CAUSE_LOAD_ACCESS, "B reads C's page while C lives: denied");
	for (unsigned i = 0; i < 512; i++) /* the kernel tears C down */
		C.root[i] = 0;
	flush_tlb();
	r = uprobe(&B, OP_R, VB_P3 + OFF_R, 0);
	CHECK(r.cause, NOFAULT, "B reads it after C is gone: allowed");
	CHECK(r.value, 0, "B reads it after C is gone: zeroed");
	CHECK(is_zero(p3), 1, "the whole page is zeroed");
	r = uprobe(&B, OP_W, VB_P3 + 0x100, WVAL);
	CHECK(r.cause, NOFAULT, "B writes it");
	unmap(&B, VB_P3);

	section("gone: the sealed page of A");
	pages = stat(&A, UMBRA_STAT_PAGES);
	unmap(&A, VA_S1);
	r = kprobe(OP_W, pa_of(S1) + 0x100, WVAL);
	CHECK(r.cause, NOFAULT, "kernel writes A's sealed page after A lost it");
	CHECK(S1[0], 0, "zeroed before the write");
	CHECK(S1[0x100 / 8], WVAL, "the kernel's write landed");
	CHECK(stat(&A, UMBRA_STAT_PAGES), pages - 1, "the sealed protection is dropped");
}

/* ---- devices -------------------------------------------------------------------------- */
__attribute__((unused)) static void test_device(void)
{
	section("device");
	if (vblk_init()) {
		CHECK(0, 1, "virtio-blk disk present (run with --drive file=IMG)");
		return;
	}
	uint64_t *buf = alloc_pages(2), *q = alloc_pages(2), *dp = q + 512;
	/* sectors 0-7 of the disk := a pattern, read back */
	for (unsigned i = 0; i < 1024; i++)
		buf[i] = 0xd15c000000000000ul | i;
	CHECK(vblk_rw(1, 0, pa_of(buf), 8192), 0, "write sectors 0-15 (unprotected)");
	for (unsigned i = 0; i < 1024; i++)
		buf[i] = 0;
	CHECK(vblk_rw(0, 0, pa_of(buf), 8192), 0, "read them back");
	CHECK(buf[1023], 0xd15c000000000000ul | 1023, "read back: data");
	map(&A, VA_P + 0x10000, pa_of(dp), PTE_URWX);
	const uint64_t va = VA_P + 0x10000;

	/* device may read but not write */
	fill(q);
	fill(dp);
	CHECK_HC(protect(&A, va, 1, UMBRA_RIGHTS(RW, RW, 0, R), UMBRA_ACTION(UMBRA_ACT_FAULT, 0xd)),
		 UMBRA_OK, 1, "PROTECT (device r-)");
	uint64_t v0 = query(&A, va, UMBRA_QUERY_VIOLATIONS);
	CHECK(vblk_rw(0, 1, pa_of(dp), 512), 1, "disk read into the page: IOERR status");
	CHECK(dp[0], patw(dp, 0), "page unchanged");
	CHECK(query(&A, va, UMBRA_QUERY_VIOLATIONS), v0 + 1, "violation counted");
	CHECK(vblk_rw(0, 2, pa_of(dp) - 256, 512), 1, "disk read across [free page, page]: IOERR");
	CHECK(dp[0], patw(dp, 0), "page unchanged");
	CHECK(q[511], patw(q, 4088), "nothing written to the free page either");
	CHECK(vblk_rw(1, 3, pa_of(dp), 512), 0, "disk write from the page (device r-): OK");
	CHECK(vblk_rw(0, 3, pa_of(buf), 512), 0, "read it back");
	CHECK(buf[0], patw(dp, 0), "the disk has the page's data");

	/* device may write but not read */
	CHECK_HC(protect(&A, va, 1, UMBRA_RIGHTS(RW, RW, 0, W), UMBRA_ACTION(UMBRA_ACT_FAULT, 0xd)),
		 UMBRA_OK, 1, "PROTECT (device -w)");
	CHECK(vblk_rw(1, 4, pa_of(dp), 512), 1, "disk write from the page: IOERR status");
	CHECK(vblk_rw(0, 4, pa_of(buf), 512), 0, "read sector 4 back");
	CHECK(buf[0], 0xd15c000000000000ul | (4 * 64), "sector 4 not written");
	CHECK(vblk_rw(0, 5, pa_of(dp), 512), 0, "disk read into the page (device -w): OK");
	CHECK(dp[0], 0xd15c000000000000ul | (5 * 64), "the page has the sector");

	/* UPCALL and REPORT for devices */
	fill(dp);
	CHECK_HC(protect(&A, va, 1, UMBRA_RIGHTS(RW, RW, 0, 0), UMBRA_ACTION(UMBRA_ACT_UPCALL, 0xd)),
		 UMBRA_OK, 1, "PROTECT (device --, UPCALL)");
	CHECK(vblk_rw(0, 6, pa_of(dp), 512), 1, "UPCALL range: disk read IOERR");
	CHECK(dp[0], patw(dp, 0), "page unchanged");
	CHECK_HC(protect(&A, va, 1, UMBRA_RIGHTS(RW, RW, 0, 0), UMBRA_ACTION(UMBRA_ACT_REPORT, 0xd)),
		 UMBRA_OK, 1, "PROTECT (device --, REPORT)");
	v0 = query(&A, va, UMBRA_QUERY_VIOLATIONS);
	CHECK(vblk_rw(0, 6, pa_of(dp), 512), 0, "REPORT range: disk read OK");
	CHECK(dp[0], 0xd15c000000000000ul | (6 * 64), "the page has the sector");
	CHECK(query(&A, va, UMBRA_QUERY_VIOLATIONS) > v0, 1, "REPORT: violation counted");
	CHECK_HC(protect(&A, va, 1, UMBRA_RIGHTS(RW, RW, 0, 0), UMBRA_ACTION(UMBRA_ACT_SILENT, 0xd)),
		 UMBRA_OK, 1, "PROTECT (device --, SILENT)");
	fill(dp);
	int st = vblk_rw(0, 7, pa_of(dp), 512);
	note("SILENT range: disk read status %d, page %s", st,
	     dp[0] == patw(dp, 0) ? "unchanged" : "written");
	CHECK_HC(unprotect(&A, va, 1), UMBRA_OK, 1, "UNPROTECT");
	CHECK(vblk_rw(0, 7, pa_of(dp), 512), 0, "unprotected: disk read OK");
	unmap(&A, va);
}

/* ---- scenarios ------------------------------------------------------------------------- */
static int setup(void)
{
	space_init(&A, "A", pa_of(ustack_a_top));
	space_init(&B, "B", pa_of(ustack_b_top));
	P = alloc_page();
	map(&A, VA_P, pa_of(P), PTE_URWX);
	map(&B, VB_P, pa_of(P), PTE_URWX);
	use_space(&A);
	struct hret h = khc(UMBRA_FN_PROBE, 0, 0, 0, 0);
	if (h.error != UMBRA_OK) {
		CHECK(h.error, UMBRA_OK, "PROBE from S-mode (umbra's hypercalls unavailable: stopping)");
		return -1;
	}
	return 0;
}

#if SCENARIO == SCENARIO_MAIN
void kmain(void)
{
	if (setup())
		return;
	test_ownership();
	test_rights();
	test_silent_report();
	test_upcall();
	test_errors();
	test_seal();
	test_remap();
	test_device();
	test_gone();
	test_upcall_bad_return();
	section("end");
	CHECK(hypercall_leaks, 0, "umbra ecalls that reached the guest kernel");
}
#elif SCENARIO == SCENARIO_LIMIT
void kmain(void)
{
	if (setup())
		return;
	section("limit");
	/* UMBRA_MAX_PROTECTED_PAGES + 16 pages at 0x84000000 (--mem 512M) */
	const uint64_t n = UMBRA_MAX_PROTECTED_PAGES + 16, base = 0x84000000ul;
	const uint64_t rights = UMBRA_RIGHTS(RW, RW, 0, RW), act = UMBRA_ACTION(UMBRA_ACT_FAULT, 0);
	for (uint64_t i = 0; i < n; i++)
		*pte_slot(&A, VA_HUGE + i * PAGE, 0) = leaf(base + i * PAGE, PTE_URW);
	flush_tlb();
	CHECK_HC(protect(&A, VA_HUGE, 100, rights, act), UMBRA_OK, 100, "100 pages");
	uint64_t done = 100, calls = 0, partial = 0;
	struct hret h;
	for (;;) {
		h = protect(&A, VA_HUGE + done * PAGE, n - done, rights, act);
		calls++;
		if (h.error != UMBRA_OK)
			break;
		if (h.value < UMBRA_MAX_PAGES_PER_CALL && done + h.value < n)
			partial = h.value;
		done += h.value;
		if (done >= n || h.value == 0)
			break;
	}
	CHECK(h.error, (uint64_t)UMBRA_ERR_FAILED, "the call past the limit: error");
	CHECK(done, UMBRA_MAX_PROTECTED_PAGES, "pages protected in all");
	CHECK(partial, (UMBRA_MAX_PROTECTED_PAGES - 100) % UMBRA_MAX_PAGES_PER_CALL,
	      "the call reaching the limit reports partial progress");
	CHECK(stat(&A, UMBRA_STAT_PAGES), UMBRA_MAX_PROTECTED_PAGES, "STATS pages");
	uint64_t *pb = alloc_page();
	map(&B, VB_OWN, pa_of(pb), PTE_URW);
	CHECK_HC(protect(&B, VB_OWN, 1, rights, act), UMBRA_ERR_FAILED, 0,
		 "the limit is per VM: B cannot protect either");
	struct pr r = uprobe(&A, OP_W, VA_HUGE + 12345 * PAGE, 1);
	CHECK(r.cause, NOFAULT, "owner write to a protected page (owner rw)");
	r = kprobe(OP_X, base + 54321 * PAGE, 0);
	CHECK(r.cause, CAUSE_FETCH_ACCESS, "kernel exec of a protected page (kernel rw)");
	uint64_t undone = 0;
	for (;;) {
		h = unprotect(&A, VA_HUGE + undone * PAGE, n - undone);
		if (h.error != UMBRA_OK || h.value == 0)
			break;
		undone += h.value;
		if (undone >= n)
			break;
	}
	CHECK(h.error, UMBRA_OK, "UNPROTECT everything");
	CHECK(undone, n, "UNPROTECT everything: pages");
	CHECK(stat(&A, UMBRA_STAT_PAGES), 0, "STATS pages after");
	CHECK_HC(protect(&B, VB_OWN, 1, rights, act), UMBRA_OK, 1, "B can protect again");
	note("%lu PROTECT calls", calls);
}
#else /* the HALT scenarios */
void kmain(void)
{
	if (setup())
		return;
	section("halt");
	fill(P);
	const uint64_t act = UMBRA_ACTION(UMBRA_ACT_HALT, 0x4a17);
	struct pr r = {0, 0, 0};
#if SCENARIO == SCENARIO_HALT_DEVICE
	if (vblk_init()) {
		CHECK(0, 1, "virtio-blk disk present");
		return;
	}
#endif
	CHECK_HC(protect(&A, VA_P, 1, UMBRA_RIGHTS(R, R, R, R), act), UMBRA_OK, 1, "PROTECT, HALT");
	r = uprobe(&A, OP_R, VA_P + OFF_R, 0);
	CHECK(r.cause, NOFAULT, "an allowed read does not halt");
	kprintf("halt: violating now\n");
#if SCENARIO == SCENARIO_HALT_OWNER
	r = uprobe(&A, OP_W, VA_P + 0x100, WVAL);
#elif SCENARIO == SCENARIO_HALT_KERNEL
	r = kprobe(OP_W, pa_of(P) + 0x100, WVAL);
#elif SCENARIO == SCENARIO_HALT_OTHER
	r = uprobe(&B, OP_W, VB_P + 0x100, WVAL);
#elif SCENARIO == SCENARIO_HALT_DEVICE
	CHECK(vblk_rw(0, 0, pa_of(P), 512), 0x100, "the device's write halts the VM");
#endif
	CHECK(0, 1, "the VM is still running after the violation (cause 0x%lx)", r.cause);
}
#endif
