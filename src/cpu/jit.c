/*
 * jit.c - x86-64 code for the block engine's decoded blocks (see block.h).
 *
 * Template code with a block-local register allocator: the guest registers
 * a block uses most live in host registers (rbx, rbp, rsi, rdi, r8-r11)
 * from the block's entry, where those it reads are loaded from hart->x, to
 * its exits, where those it wrote are stored back; the others stay in
 * hart->x (at offset 0 of the hart, which r12 points at).  r13 holds the
 * block's guest pc, r14 the budget left (the instructions not yet in
 * h->instret are h->jit_left - r14), r15 the data TLB; rax, rcx and rdx are
 * scratch.  Every operation either completes on its fast path or
 * leaves through a stub that returns its index, so that the block engine
 * performs it (the slow path of a load or store, a fallback) and goes on.
 * Loads and stores do the data TLB's index, compare, add inline.
 *
 * The code lives in a memfd mapped twice: written through a read-write
 * mapping, run through a read-execute one (never both at one address).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cpu/alu.h"
#include "cpu/block.h"
#include "cpu/exec.h"
#include "cpu/hart.h"
#include "mmu/mmu.h"

#define JIT_BYTES (32u << 20)
#define BLOCK_ROOM 16384 /* the most code one block needs (65 ops, slow paths, exits) */

struct jit {
	uint8_t *rw, *rx;
	size_t used;
};

#if defined(__x86_64__)

struct jit *jit_new(void)
{
	int fd = memfd_create("umbra-jit", MFD_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct jit *j = calloc(1, sizeof(*j));
	if (!j || ftruncate(fd, JIT_BYTES)) {
		free(j);
		close(fd);
		return NULL;
	}
	j->rw = mmap(NULL, JIT_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	j->rx = mmap(NULL, JIT_BYTES, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
	close(fd);
	if (j->rw == MAP_FAILED || j->rx == MAP_FAILED) {
		if (j->rw != MAP_FAILED)
			munmap(j->rw, JIT_BYTES);
		if (j->rx != MAP_FAILED)
			munmap(j->rx, JIT_BYTES);
		free(j);
		return NULL;
	}
	return j;
}

void jit_free(struct jit *j)
{
	if (!j)
		return;
	munmap(j->rw, JIT_BYTES);
	munmap(j->rx, JIT_BYTES);
	free(j);
}

void jit_flush(struct jit *j)
{
	if (j)
		j->used = 0;
}

bool jit_full(const struct jit *j)
{
	return j && j->used + BLOCK_ROOM > JIT_BYTES;
}

_Static_assert(sizeof(struct tlb_entry) == 32, "the code indexes the TLB by shifting 5");
_Static_assert(offsetof(struct tlb, e) == 0, "the code indexes the TLB from its start");
_Static_assert(JIT_BYTES < (1u << 31), "jumps within the code are rel32");

/* --- emitting ------------------------------------------------------------ */

struct slow {
	uint8_t *at;	  /* the jne to patch */
	uint8_t *back;	  /* where the fast path goes on */
	const struct op *op;
	uint32_t index;
	uint64_t dirty;   /* the allocated registers written before the access */
	bool store;
};

struct em {
	uint8_t *p;
	int cached;	/* the guest register rax holds when the next operation begins, or -1 */
	int avail;	/* the same, until this operation first loads rax */
	struct slow slow[BLOCK_MAX + 1];
	unsigned nslow;
	uint32_t count;		/* the block's instructions */
	uint8_t *slot_ref[2];	/* the rel32 of the jump to the successor for link 0 and 1 */
	const struct block *b;
	struct block *const *table;
	uint8_t *to_epilogue[3 * BLOCK_MAX + 8];
	unsigned nepi;
	int8_t host[33];	/* the host register that holds guest register r, or -1 */
	uint64_t alloc;		/* guest registers in host registers (bit r) */
	uint64_t dirty;		/* those of them written so far */
	uint64_t written;	/* those of them the block writes */
	uint8_t *loop;		/* a block that branches back to its start: its top after the loads */
};

/* The emitters (x86-64 is little-endian, as the immediates are) */
static void b1(struct em *e, unsigned v) { *e->p++ = (uint8_t)v; }
static void b4(struct em *e, uint32_t v)
{
	memcpy(e->p, &v, 4);
	e->p += 4;
}
static void imm64(struct em *e, uint64_t v)
{
	memcpy(e->p, &v, 8);
	e->p += 8;
}
static void bytes(struct em *e, const char *s, size_t n)
{
	memcpy(e->p, s, n);
	e->p += n;
}
#define EMIT(e, s) bytes(e, s, sizeof(s) - 1)

enum { RAX = 0, RCX = 1, RDX = 2 };

static int32_t xoff(unsigned r) { return (int32_t)(8 * r); }

/*
 * [REX] opc modrm: the r/m operand is guest register r (its host register,
 * or [r12 + 8*r]), the reg field `reg` (rax, rcx or rdx); w: 64-bit.
 */
static void op_rm(struct em *e, bool w, unsigned reg, const char *opc, size_t nopc, unsigned r)
{
	int h = r < 33 ? e->host[r] : -1;
	unsigned rex = (w ? 0x48 : 0) | (h >= 8 || h < 0 ? 0x41 : 0);
	if (rex)
		b1(e, rex);
	bytes(e, opc, nopc);
	if (h >= 0) {
		b1(e, 0xc0 | reg << 3 | (h & 7));
	} else {
		b1(e, 0x84 | reg << 3), b1(e, 0x24); /* [r12 + disp32] */
		b4(e, (uint32_t)xoff(r));
	}
}
#define OP_RM(e, w, reg, opc, r) op_rm(e, w, reg, opc, sizeof(opc) - 1, r)

/* mov reg, x[r] */
static void ld_x(struct em *e, unsigned reg, unsigned r)
{
	if (reg == RAX) {
		bool have = e->avail >= 0 && (unsigned)e->avail == r;
		e->avail = -1;
		if (have) /* the previous operation left it in rax */
			return;
	}
	if (r == 0) {
		b1(e, 0x31), b1(e, 0xc0 | reg << 3 | reg); /* xor reg, reg */
		return;
	}
	OP_RM(e, true, reg, "\x8b", r);
}
/* Sets a guest register from rax, as an operation's last step: rax keeps it for the next. */
static void st_x(struct em *e, unsigned reg, unsigned r)
{
	OP_RM(e, true, reg, "\x89", r);
	if (r < 33 && e->host[r] >= 0)
		e->dirty |= 1ull << r;
	if (reg == RAX)
		e->cached = r < 32 ? (int)r : -1;
}
/* mov [r12 + 8*r], reg: guest register r in memory, whatever holds it */
static void st_mem(struct em *e, unsigned reg, unsigned r)
{
	b1(e, 0x49 | (reg >= 8 ? 4 : 0)), b1(e, 0x89), b1(e, 0x84 | (reg & 7) << 3), b1(e, 0x24);
	b4(e, (uint32_t)xoff(r));
}
/* mov reg, [r12 + 8*r] */
static void ld_mem(struct em *e, unsigned reg, unsigned r)
{
	b1(e, 0x49 | (reg >= 8 ? 4 : 0)), b1(e, 0x8b), b1(e, 0x84 | (reg & 7) << 3), b1(e, 0x24);
	b4(e, (uint32_t)xoff(r));
}
/* Stores the allocated registers in mask to hart->x. */
static void writeback(struct em *e, uint64_t mask)
{
	for (; mask; mask &= mask - 1) {
		unsigned r = (unsigned)__builtin_ctzll(mask);
		st_mem(e, (unsigned)e->host[r], r);
	}
}
/* Loads the allocated registers in mask from hart->x. */
static void reload(struct em *e, uint64_t mask)
{
	for (; mask; mask &= mask - 1) {
		unsigned r = (unsigned)__builtin_ctzll(mask);
		ld_mem(e, (unsigned)e->host[r], r);
	}
}
/* <op> rax, x[r], op one of add 03, sub 2b, and 23, or 0b, xor 33, cmp 3b; w: 64-bit */
static void alu_x(struct em *e, unsigned opc, unsigned r, bool w)
{
	char o = (char)opc;
	op_rm(e, w, RAX, &o, 1, r);
}
/* <op> rax, imm32: add 05, or 0d, and 25, xor 35, cmp 3d */
static void alu_imm(struct em *e, unsigned opc, int64_t imm, bool w)
{
	if (w)
		b1(e, 0x48);
	b1(e, opc), b4(e, (uint32_t)(int32_t)imm);
}
static void movsxd_rax(struct em *e) { EMIT(e, "\x48\x63\xc0"); }
/* lea rax, [r13 + d] */
static void lea_pc(struct em *e, int64_t d)
{
	EMIT(e, "\x49\x8d\x85"), b4(e, (uint32_t)(int32_t)d);
}
/* mov [r12 + d], rax */
static void st_hart(struct em *e, size_t d)
{
	EMIT(e, "\x49\x89\x84\x24"), b4(e, (uint32_t)d);
}
/* h->jit_block = this block; mov eax, v; jmp epilogue */
static void leave(struct em *e, uint32_t v)
{
	EMIT(e, "\x48\xb8"), imm64(e, (uint64_t)(uintptr_t)e->b); /* mov rax, this block */
	st_hart(e, offsetof(struct hart, jit_block));
	b1(e, 0xb8), b4(e, v);
	b1(e, 0xe9), e->to_epilogue[e->nepi++] = e->p, b4(e, 0);
}
static void patch(uint8_t *at, const uint8_t *to)
{
	int32_t rel = (int32_t)(to - (at + 4));
	memcpy(at, &rel, 4);
}

/* A rel32 at the cursor that reaches `to`. */
static void patch_rel(struct em *e, const uint8_t *to)
{
	uint8_t *at = e->p;
	b4(e, 0);
	patch(at, to);
}


/* jcc rel32 to a list of places to patch later */
static uint8_t *jcc_fwd(struct em *e, unsigned cc)
{
	b1(e, 0x0f), b1(e, 0x80 | cc);
	uint8_t *at = e->p;
	b4(e, 0);
	return at;
}

/*
 * The block is done: counted (sub r14, count: the budget left); then out[0]
 * and out[1], to be patched, are taken when the budget is spent or h->stop
 * is set; the code after them may go on to another block.
 */
static void count_and_check(struct em *e, uint8_t *out[2])
{
	EMIT(e, "\x49\x81\xee"), b4(e, e->count);
	out[0] = jcc_fwd(e, 0xe);			/* jle */
	EMIT(e, "\x41\x80\xbc\x24"), b4(e, (uint32_t)offsetof(struct hart, stop)), b1(e, 0);
	out[1] = jcc_fwd(e, 0x5);			/* jne (cmp byte [r12+stop], 0) */
}

/* h->instret += h->jit_left - r14; h->jit_left = r14 (before anything that
 * may read h->instret, and on the way out).  Uses rdx. */
static void flush_instret(struct em *e)
{
	size_t left = offsetof(struct hart, jit_left), instret = offsetof(struct hart, instret);
	EMIT(e, "\x49\x8b\x94\x24"), b4(e, (uint32_t)left);	/* mov rdx, [r12+left] */
	EMIT(e, "\x4c\x29\xf2");				/* sub rdx, r14 */
	EMIT(e, "\x49\x01\x94\x24"), b4(e, (uint32_t)instret);	/* add [r12+instret], rdx */
	EMIT(e, "\x4d\x89\xb4\x24"), b4(e, (uint32_t)left);	/* mov [r12+left], r14 */
}

/*
 * The block is done and leaves by link (0 or 1) for the pc in rax: counted,
 * then a direct jump to the successor's code (its entry takes the pc from
 * rax; jit_link() sets the target) if the budget lasts and h->stop is clear,
 * else, and while the jump is not linked yet, h->pc = rax and back to the
 * engine.
 */
static void chain_exit(struct em *e, unsigned link)
{
	uint8_t *out[2];
	writeback(e, e->dirty);
	count_and_check(e, out);
	b1(e, 0xe9);					/* jmp successor (rax = the pc): */
	e->slot_ref[link] = e->p;			/* jit_link() patches the rel32, */
	b4(e, 0);					/* which leads to the next line till then */
	patch(out[0], e->p);
	patch(out[1], e->p);
	st_hart(e, offsetof(struct hart, pc));
	leave(e, JIT_CHAIN + 1 + link);
}

/*
 * A block's branch or jump back to its own start: counted, then, while the
 * budget lasts and h->stop is clear, straight back to its top with the guest
 * registers still in host registers (the block loaded all of them at entry
 * and writes back all it writes at every exit); else out to the engine.
 */
static void self_exit(struct em *e)
{
	uint8_t *out[2];
	count_and_check(e, out);
	b1(e, 0xe9), patch_rel(e, e->loop);		/* jmp top */
	patch(out[0], e->p);
	patch(out[1], e->p);
	writeback(e, e->dirty);
	lea_pc(e, 0);
	st_hart(e, offsetof(struct hart, pc));
	leave(e, JIT_CHAIN + 1 + 0);
}

/*
 * An indirect jump to rax (h->pc already set): counted; then, if the budget
 * lasts, h->stop is clear and the target lies in this block's page, the
 * target's block is looked up in the engine's table as the engine would, and
 * its code entered; else back to the engine.
 */
static void indirect_exit(struct em *e)
{
	uint8_t *out[6];
	writeback(e, e->dirty);
	count_and_check(e, out);
	EMIT(e, "\x48\x89\xc1\x4c\x31\xe9\x48\xc1\xe9\x0c");	/* rcx = (rax ^ r13) >> 12 */
	out[2] = jcc_fwd(e, 0x5);				/* another page */
	EMIT(e, "\x4c\x29\xe8");				/* sub rax, r13 */
	EMIT(e, "\x48\xb9"), imm64(e, e->b->host);		/* mov rcx, host */
	EMIT(e, "\x48\x01\xc8");				/* add rax, rcx: the target's host */
	EMIT(e, "\x48\x89\xc1\x48\xd1\xe9");		/* mov rcx, rax; shr rcx, 1 */
	EMIT(e, "\x48\x89\xc2\x48\xc1\xea\x0f");		/* mov rdx, rax; shr rdx, 15 */
	EMIT(e, "\x48\x31\xd1");				/* xor rcx, rdx */
	EMIT(e, "\x81\xe1"), b4(e, (1u << BLOCK_TABLE_BITS) - 1); /* and ecx, mask */
	EMIT(e, "\x48\xba"), imm64(e, (uint64_t)(uintptr_t)e->table); /* mov rdx, table */
	EMIT(e, "\x48\x8b\x14\xca");				/* mov rdx, [rdx + rcx*8] */
	EMIT(e, "\x48\x85\xd2");				/* test rdx, rdx */
	out[3] = jcc_fwd(e, 0x4);				/* jz */
	EMIT(e, "\x48\x3b\x42"), b1(e, (unsigned)offsetof(struct block, host)); /* cmp rax, [rdx+host] */
	out[4] = jcc_fwd(e, 0x5);
	EMIT(e, "\x48\x8b\x4a"), b1(e, (unsigned)offsetof(struct block, chained)); /* mov rcx, [rdx+chained] */
	EMIT(e, "\x48\x85\xc9");				/* test rcx, rcx */
	out[5] = jcc_fwd(e, 0x4);
	EMIT(e, "\x49\x8b\x84\x24"), b4(e, (uint32_t)offsetof(struct hart, pc)); /* mov rax, [r12+pc] */
	EMIT(e, "\xff\xe1");					/* jmp rcx */
	for (unsigned k = 0; k < 6; k++)
		patch(out[k], e->p);
	leave(e, JIT_CHAIN + 0);
}


/* rax = x[rs1] + imm */
static void addr(struct em *e, const struct op *op)
{
	int h = e->host[op->rs1];
	if (h >= 0 && op->imm) { /* lea rax, [h + imm] */
		b1(e, 0x48 | (h >= 8)), b1(e, 0x8d), b1(e, 0x80 | (h & 7)), b4(e, (uint32_t)op->imm);
		e->avail = -1;
		return;
	}
	ld_x(e, RAX, op->rs1);
	if (op->imm)
		alu_imm(e, 0x05, op->imm, true);	/* add rax, imm */
}

/*
 * rax = x[rs1] + imm; rcx = the data TLB entry; unless the tag at tag_off
 * matches, on to the slow path (emitted later by slow_paths()), which
 * comes back to the instruction after the access.
 */
static void tlb_check(struct em *e, const struct op *op, unsigned size, size_t tag_off,
		      uint32_t index)
{
	addr(e, op);
	EMIT(e, "\x48\x89\xc1");			/* mov rcx, rax */
	EMIT(e, "\x48\xc1\xe9"), b1(e, PAGE_SHIFT - 5); /* shr rcx, 7 */
	EMIT(e, "\x81\xe1"), b4(e, (TLB_SIZE - 1) << 5); /* and ecx, (TLB_SIZE - 1) * 32 */
	EMIT(e, "\x4c\x01\xf9");			/* add rcx, r15 */
	EMIT(e, "\x48\x89\xc2");			/* mov rdx, rax */
	EMIT(e, "\x48\x81\xe2"), b4(e, (uint32_t)(0xfffff000u | (size - 1))); /* and rdx, tag mask */
	EMIT(e, "\x48\x3b\x51"), b1(e, (unsigned)tag_off); /* cmp rdx, [rcx + tag] */
	b1(e, 0x0f), b1(e, 0x85);			/* jne slow path */
	e->slow[e->nslow] = (struct slow){.at = e->p, .op = op, .index = index, .dirty = e->dirty,
					  .store = tag_off == offsetof(struct tlb_entry, tag_w)};
	b4(e, 0);
	EMIT(e, "\x48\x03\x41"), b1(e, (unsigned)offsetof(struct tlb_entry, addend)); /* add rax, [rcx+addend] */
}

/* mov r15, h->tlb_data */
static void tlb_base(struct em *e)
{
	EMIT(e, "\x4d\x8b\xbc\x24"), b4(e, (uint32_t)offsetof(struct hart, tlb_data));
}

/* The slow paths of loads and stores: 0 done, go on; 1 done, leave the block; 2 trapped. */
static uint32_t helper_load(struct hart *h, uint64_t va, uint32_t size)
{
	uint64_t gen = h->bc_gen;
	if (!mmu_load_slow(h, va, size, &h->jit_val))
		return 2;
	/* a device raised an interrupt, or the page walk wrote to code */
	return h->stop || gen != h->bc_gen ? 1 : 0;
}

static uint32_t helper_store(struct hart *h, uint64_t va, uint32_t size, uint64_t val)
{
	uint64_t gen = h->bc_gen;
	if (!mmu_store_slow(h, va, size, val))
		return 2;
	return gen != h->bc_gen || h->stop ? 1 : 0; /* code dropped, or an interrupt */
}

static const unsigned access_size[K_NKINDS] = {
	[K_LB] = 1, [K_LH] = 2, [K_LW] = 4, [K_LD] = 8, [K_LBU] = 1, [K_LHU] = 2, [K_LWU] = 4,
	[K_SB] = 1, [K_SH] = 2, [K_SW] = 4, [K_SD] = 8,
};

/* rax = the loaded value converted as op's kind wants it */
static void convert(struct em *e, unsigned kind)
{
	switch (kind) {
	case K_LB: EMIT(e, "\x48\x0f\xbe\xc0"); break;	/* movsx rax, al */
	case K_LBU: EMIT(e, "\x0f\xb6\xc0"); break;	/* movzx eax, al */
	case K_LH: EMIT(e, "\x48\x0f\xbf\xc0"); break;	/* movsx rax, ax */
	case K_LHU: EMIT(e, "\x0f\xb7\xc0"); break;	/* movzx eax, ax */
	case K_LW: EMIT(e, "\x48\x63\xc0"); break;		/* movsxd rax, eax */
	case K_LWU: EMIT(e, "\x89\xc0"); break;		/* mov eax, eax */
	}
}

/*
 * Out of line: each load's and store's TLB miss calls the slow path with
 * h->pc at the instruction, then goes back to the fast path's end, or
 * leaves (JIT_AFTER, JIT_FAULT).  rax holds the address on the way in.
 */
static void slow_paths(struct em *e)
{
	for (unsigned k = 0; k < e->nslow; k++) {
		const struct slow *s = &e->slow[k];
		const struct op *op = s->op;
		patch(s->at, e->p);
		writeback(e, s->dirty);
		EMIT(e, "\x48\x89\xc6");			/* mov rsi, rax (va) */
		lea_pc(e, op->off);
		st_hart(e, offsetof(struct hart, pc));
		EMIT(e, "\x4c\x89\xe7");			/* mov rdi, r12 */
		flush_instret(e); /* a device's clock may count instructions */
		b1(e, 0xba), b4(e, access_size[op->kind]);	/* mov edx, size */
		if (s->store)
			ld_mem(e, RCX, op->rs2);
		EMIT(e, "\x48\xb8"), imm64(e, (uint64_t)(uintptr_t)(s->store ? (void *)helper_store
										  : (void *)helper_load));
		EMIT(e, "\xff\xd0");				/* call rax */
		EMIT(e, "\x83\xf8\x02");			/* cmp eax, 2 */
		uint8_t *trapped = jcc_fwd(e, 0x4);		/* je */
		if (!s->store) {
			EMIT(e, "\x89\xc1");			/* mov ecx, eax */
			EMIT(e, "\x49\x8b\x84\x24"), b4(e, (uint32_t)offsetof(struct hart, jit_val));
			convert(e, op->kind);
			st_mem(e, RAX, op->rd);
			EMIT(e, "\x85\xc9");			/* test ecx, ecx */
		} else {
			EMIT(e, "\x85\xc0");			/* test eax, eax */
		}
		uint8_t *after = jcc_fwd(e, 0x5);		/* jnz: leave after it */
		reload(e, e->alloc);				/* the call clobbered them */
		tlb_base(e);
		b1(e, 0xe9), patch_rel(e, s->back);		/* jmp back */
		patch(after, e->p);
		leave(e, JIT_AFTER + s->index);
		patch(trapped, e->p);
		leave(e, JIT_FAULT + s->index);
	}
}

/*
 * An INTERP operation: the interpreter runs instruction raw at h->pc.
 * 0 done, go on; 1 done, leave the block; 2 trapped.  Its instruction is
 * counted by the block (or, when it leaves, by the engine), not here.
 */
static uint32_t helper_interp(struct hart *h, uint32_t raw, uint32_t len)
{
	uint64_t gen = h->bc_gen, retired = h->instret;
	const struct tlb *data = h->tlb_data;
	gva_t next = h->pc + len;
	hart_execute(h, raw);
	if (h->instret == retired || h->pc != next)
		return 2;
	h->instret = retired;
	return h->stop || gen != h->bc_gen || data != h->tlb_data ? 1 : 0;
}

static void interp(struct em *e, const struct op *op, uint32_t i)
{
	writeback(e, e->dirty);
	lea_pc(e, op->off);
	st_hart(e, offsetof(struct hart, pc));
	flush_instret(e);
	EMIT(e, "\x4c\x89\xe7");			/* mov rdi, r12 */
	b1(e, 0xbe), b4(e, op->raw);			/* mov esi, raw */
	b1(e, 0xba), b4(e, op->len);			/* mov edx, len */
	EMIT(e, "\x48\xb8"), imm64(e, (uint64_t)(uintptr_t)helper_interp); /* mov rax, fn */
	EMIT(e, "\xff\xd0");				/* call rax */
	EMIT(e, "\x85\xc0");				/* test eax, eax */
	uint8_t *go = jcc_fwd(e, 0x4);			/* jz: go on */
	EMIT(e, "\x83\xf8\x02");			/* cmp eax, 2 */
	uint8_t *trapped = jcc_fwd(e, 0x4);		/* je */
	leave(e, JIT_AFTER + i);
	patch(trapped, e->p);
	leave(e, JIT_FAULT + i);
	patch(go, e->p);
	reload(e, e->alloc);
	tlb_base(e);
}

static uint64_t helper_muldiv(uint64_t f3, uint64_t a, uint64_t b)
{
	return muldiv((unsigned)f3, a, b);
}

/* rd = fn(f3, rs1, rs2), the allocated registers saved around the call */
static void call_helper(struct em *e, const struct op *op, uint64_t (*fn)(uint64_t, uint64_t, uint64_t))
{
	writeback(e, e->dirty);
	e->avail = -1;
	b1(e, 0xbf), b4(e, op->f3);			/* mov edi, f3 */
	ld_mem(e, 6, op->rs1);				/* mov rsi, x[rs1] */
	ld_mem(e, RDX, op->rs2);
	EMIT(e, "\x48\xb8"), imm64(e, (uint64_t)(uintptr_t)fn); /* mov rax, fn */
	EMIT(e, "\xff\xd0");				/* call rax */
	reload(e, e->alloc);
}

/* rel8 forward jumps within one operation */
static uint8_t *j8(struct em *e, unsigned opc)
{
	b1(e, opc), b1(e, 0);
	return e->p - 1;
}
static void here8(struct em *e, uint8_t *at) { *at = (uint8_t)(e->p - (at + 1)); }

/*
 * rax = rs1 <op> rs2 for M's operations but mulhsu (w: the 64-bit ones),
 * with the specification's results for a zero divisor and for overflow
 * (x86 would fault) computed on short side paths.
 */
static void muldiv_inline(struct em *e, const struct op *op, bool w)
{
	unsigned f3 = op->f3, rex = w ? 0x48 : 0;
	ld_x(e, RAX, op->rs1);
	if (f3 == 0) { /* imul rax, rs2 */
		OP_RM(e, w, RAX, "\x0f\xaf", op->rs2);
		if (!w)
			movsxd_rax(e);
		return;
	}
	ld_x(e, RCX, op->rs2);
	if (f3 < 4) { /* mulh (imul rcx), mulhu (mul rcx): the high half in rdx */
		EMIT(e, "\x48\xf7"), b1(e, f3 == 1 ? 0xe9 : 0xe1);
		EMIT(e, "\x48\x89\xd0");		/* mov rax, rdx */
		return;
	}
	bool is_signed = f3 == 4 || f3 == 6, rem = f3 >= 6;
	if (rex)
		b1(e, rex);
	EMIT(e, "\x85\xc9");				/* test rcx, rcx */
	uint8_t *zero = j8(e, 0x74), *minus1 = NULL;	/* jz */
	if (is_signed) {
		if (rex)
			b1(e, rex);
		EMIT(e, "\x83\xf9\xff");		/* cmp rcx, -1 */
		minus1 = j8(e, 0x74);			/* je */
		if (rex)
			b1(e, rex);
		b1(e, 0x99);				/* cqo / cdq */
		if (rex)
			b1(e, rex);
		EMIT(e, "\xf7\xf9");			/* idiv rcx */
	} else {
		EMIT(e, "\x31\xd2");			/* xor edx, edx */
		if (rex)
			b1(e, rex);
		EMIT(e, "\xf7\xf1");			/* div rcx */
	}
	if (rem)
		EMIT(e, "\x48\x89\xd0");		/* mov rax, rdx */
	uint8_t *done = j8(e, 0xeb), *done2 = NULL;
	if (minus1) { /* x / -1 = -x (INT_MIN stays), x % -1 = 0 */
		here8(e, minus1);
		if (rem)
			EMIT(e, "\x31\xc0");		/* xor eax, eax */
		else
			b1(e, 0x48), EMIT(e, "\xf7\xd8"); /* neg rax (32-bit: the low half is right) */
		done2 = j8(e, 0xeb);
	}
	here8(e, zero); /* x / 0 = all ones, x % 0 = x */
	if (!rem)
		EMIT(e, "\x48\x83\xc8\xff");	/* or rax, -1 */
	here8(e, done);
	if (done2)
		here8(e, done2);
	if (!w)
		movsxd_rax(e);
}

/* Branches: the x86 condition after cmp rs1, rs2 under which the branch is taken. */
static unsigned branch_cc(unsigned kind)
{
	switch (kind) {
	case K_BEQ: return 0x4;	 /* je */
	case K_BNE: return 0x5;	 /* jne */
	case K_BLT: return 0xc;	 /* jl */
	case K_BGE: return 0xd;	 /* jge */
	case K_BLTU: return 0x2; /* jb */
	default: return 0x3;	 /* jae */
	}
}

/* Emits op (index i of the block); false if it must go through the engine. */
static bool emit_op(struct em *e, const struct op *op, uint32_t i)
{
	size_t pc_off = offsetof(struct hart, pc);
	e->avail = e->cached; /* only a last st_x(RAX) of this operation sets it again */
	e->cached = -1;
	switch (op->kind) {
	case K_ADD: case K_SUB: case K_AND: case K_OR: case K_XOR: {
		static const uint8_t opc[] = {[K_ADD] = 0x03, [K_SUB] = 0x2b, [K_AND] = 0x23,
					      [K_OR] = 0x0b, [K_XOR] = 0x33};
		ld_x(e, RAX, op->rs1);
		alu_x(e, opc[op->kind], op->rs2, true);
		st_x(e, RAX, op->rd);
		return true;
	}
	case K_ADDW: case K_SUBW:
		ld_x(e, RAX, op->rs1);
		alu_x(e, op->kind == K_ADDW ? 0x03 : 0x2b, op->rs2, false);
		movsxd_rax(e);
		st_x(e, RAX, op->rd);
		return true;
	case K_SLT: case K_SLTU: case K_SLTI: case K_SLTIU:
		ld_x(e, RAX, op->rs1);
		if (op->kind == K_SLT || op->kind == K_SLTU)
			alu_x(e, 0x3b, op->rs2, true);
		else
			alu_imm(e, 0x3d, op->imm, true);
		b1(e, 0x0f), b1(e, op->kind == K_SLT || op->kind == K_SLTI ? 0x9c : 0x92), b1(e, 0xc0);
		EMIT(e, "\x0f\xb6\xc0");			/* movzx eax, al */
		st_x(e, RAX, op->rd);
		return true;
	case K_SLL: case K_SRL: case K_SRA: case K_SLLW: case K_SRLW: case K_SRAW: {
		bool w = op->kind == K_SLL || op->kind == K_SRL || op->kind == K_SRA;
		bool left = op->kind == K_SLL || op->kind == K_SLLW;
		bool logical = op->kind == K_SRL || op->kind == K_SRLW;
		ld_x(e, RAX, op->rs1);
		ld_x(e, RCX, op->rs2);
		if (w)
			b1(e, 0x48);
		b1(e, 0xd3), b1(e, left ? 0xe0 : logical ? 0xe8 : 0xf8);
		if (!w)
			movsxd_rax(e);
		st_x(e, RAX, op->rd);
		return true;
	}
	case K_ADDI: case K_XORI: case K_ORI: case K_ANDI: {
		static const uint8_t opc[] = {[K_ADDI] = 0x05, [K_XORI] = 0x35, [K_ORI] = 0x0d,
					      [K_ANDI] = 0x25};
		ld_x(e, RAX, op->rs1);
		alu_imm(e, opc[op->kind], op->imm, true);
		st_x(e, RAX, op->rd);
		return true;
	}
	case K_ADDIW:
		ld_x(e, RAX, op->rs1);
		alu_imm(e, 0x05, op->imm, false);
		movsxd_rax(e);
		st_x(e, RAX, op->rd);
		return true;
	case K_SLLI: case K_SRLI: case K_SRAI: case K_SLLIW: case K_SRLIW: case K_SRAIW: {
		bool w = op->kind <= K_SRAI;
		unsigned k = w ? op->kind : op->kind - K_SLLIW + K_SLLI;
		ld_x(e, RAX, op->rs1);
		if (w)
			b1(e, 0x48);
		b1(e, 0xc1), b1(e, k == K_SLLI ? 0xe0 : k == K_SRLI ? 0xe8 : 0xf8), b1(e, (unsigned)op->imm);
		if (!w)
			movsxd_rax(e);
		st_x(e, RAX, op->rd);
		return true;
	}
	case K_LUI:
		EMIT(e, "\x48\xc7\xc0"), b4(e, (uint32_t)(int32_t)op->imm); /* mov rax, imm */
		st_x(e, RAX, op->rd);
		return true;
	case K_AUIPC:
		lea_pc(e, op->off + op->imm);
		st_x(e, RAX, op->rd);
		return true;
	case K_MULDIV: case K_MULDIVW:
		if (op->kind == K_MULDIV && op->f3 == 2) /* mulhsu */
			call_helper(e, op, helper_muldiv);
		else
			muldiv_inline(e, op, op->kind == K_MULDIV);
		st_x(e, RAX, op->rd);
		return true;
	case K_LB: case K_LH: case K_LW: case K_LD: case K_LBU: case K_LHU: case K_LWU: {
		tlb_check(e, op, access_size[op->kind], offsetof(struct tlb_entry, tag_r), i);
		switch (op->kind) {
		case K_LB: EMIT(e, "\x48\x0f\xbe\x00"); break;	/* movsx rax, byte [rax] */
		case K_LBU: EMIT(e, "\x0f\xb6\x00"); break;	/* movzx eax, byte [rax] */
		case K_LH: EMIT(e, "\x48\x0f\xbf\x00"); break;
		case K_LHU: EMIT(e, "\x0f\xb7\x00"); break;
		case K_LW: EMIT(e, "\x48\x63\x00"); break;	/* movsxd rax, [rax] */
		case K_LWU: EMIT(e, "\x8b\x00"); break;		/* mov eax, [rax] */
		default: EMIT(e, "\x48\x8b\x00"); break;	/* mov rax, [rax] */
		}
		st_x(e, RAX, op->rd);
		e->slow[e->nslow++].back = e->p;
		return true;
	}
	case K_SB: case K_SH: case K_SW: case K_SD: {
		tlb_check(e, op, access_size[op->kind], offsetof(struct tlb_entry, tag_w), i);
		ld_x(e, RDX, op->rs2);
		switch (op->kind) {
		case K_SB: EMIT(e, "\x88\x10"); break;		/* mov [rax], dl */
		case K_SH: EMIT(e, "\x66\x89\x10"); break;
		case K_SW: EMIT(e, "\x89\x10"); break;
		default: EMIT(e, "\x48\x89\x10"); break;
		}
		e->slow[e->nslow++].back = e->p;
		return true;
	}
	case K_JAL:
		lea_pc(e, op->off + op->len);
		st_x(e, RAX, op->rd);
		if (e->loop) { /* back to this block's start (jit_compile()) */
			self_exit(e);
			return true;
		}
		lea_pc(e, op->off + op->imm);
		chain_exit(e, 0);
		return true;
	case K_JALR:
		ld_x(e, RAX, op->rs1);
		alu_imm(e, 0x05, op->imm, true);
		EMIT(e, "\x48\x83\xe0\xfe");			/* and rax, ~1 */
		EMIT(e, "\x48\x89\xc1");			/* mov rcx, rax */
		lea_pc(e, op->off + op->len);
		st_x(e, RAX, op->rd);
		EMIT(e, "\x48\x89\xc8");			/* mov rax, rcx */
		st_hart(e, pc_off);
		indirect_exit(e);
		return true;
	case K_BEQ: case K_BNE: case K_BLT: case K_BGE: case K_BLTU: case K_BGEU: {
		bool self = e->loop != NULL; /* back to this block's start (jit_compile()) */
		if (!self) {
			writeback(e, e->dirty); /* once for both exits */
			e->dirty = 0;
		}
		ld_x(e, RAX, op->rs1);
		alu_x(e, 0x3b, op->rs2, true);
		b1(e, 0x0f), b1(e, 0x80 | branch_cc(op->kind));
		uint8_t *taken = e->p;
		b4(e, 0);
		lea_pc(e, op->off + op->len);
		chain_exit(e, 1);
		patch(taken, e->p);
		if (self) {
			self_exit(e);
		} else {
			lea_pc(e, op->off + op->imm);
			chain_exit(e, 0);
		}
		return true;
	}
	case K_END:
		lea_pc(e, op->off);
		chain_exit(e, 1);
		return true;
	case K_INTERP:
		interp(e, op, i);
		return true;
	}
	return false; /* FALLBACK */
}

/* The guest registers op reads and writes (bit r; x0 never). */
static void op_regs(const struct op *op, uint64_t *reads, uint64_t *writes)
{
	uint64_t r = 0, w = 0;
	switch (op->kind) {
	case K_INTERP: case K_FALLBACK: case K_END:
		break; /* the interpreter works on hart->x: written back before, reloaded after */
	case K_LUI: case K_AUIPC: case K_JAL:
		w = 1ull << op->rd;
		break;
	case K_SB: case K_SH: case K_SW: case K_SD:
	case K_BEQ: case K_BNE: case K_BLT: case K_BGE: case K_BLTU: case K_BGEU:
		r = 1ull << op->rs1 | 1ull << op->rs2;
		break;
	case K_ADD: case K_SUB: case K_SLL: case K_SLT: case K_SLTU: case K_XOR: case K_SRL:
	case K_SRA: case K_OR: case K_AND: case K_ADDW: case K_SUBW: case K_SLLW: case K_SRLW:
	case K_SRAW: case K_MULDIV: case K_MULDIVW:
		r = 1ull << op->rs1 | 1ull << op->rs2;
		w = 1ull << op->rd;
		break;
	default: /* immediates, loads, jalr */
		r = 1ull << op->rs1;
		w = 1ull << op->rd;
		break;
	}
	*reads = r & ~1ull & 0xffffffffull;
	*writes = w & ~1ull & 0xffffffffull;
}

/*
 * Gives the guest registers the block's operations (up to the first
 * fallback) use at least twice, the most used first, a host register each;
 * returns those the block reads before it writes them (loaded at entry).
 */
static uint64_t allocate(struct em *e, const struct op *ops, unsigned nops)
{
	static const uint8_t pool[] = {3, 5, 6, 7, 8, 9, 10, 11}; /* rbx rbp rsi rdi r8-r11 */
	unsigned uses[32] = {0};
	uint64_t seen = 0, live_in = 0;
	for (unsigned i = 0; i < nops && ops[i].kind != K_FALLBACK; i++) { /* ends the block */
		uint64_t rd, wr;
		op_regs(&ops[i], &rd, &wr);
		e->written |= wr;
		live_in |= rd & ~seen;
		seen |= rd | wr;
		for (uint64_t m = rd; m; m &= m - 1)
			uses[__builtin_ctzll(m)]++;
		for (uint64_t m = wr; m; m &= m - 1)
			uses[__builtin_ctzll(m)]++;
	}
	for (unsigned r = 0; r < 33; r++)
		e->host[r] = -1;
	for (unsigned k = 0; k < sizeof(pool); k++) {
		unsigned best = 0;
		for (unsigned r = 1; r < 32; r++)
			if (e->host[r] < 0 && uses[r] >= 2 && uses[r] > uses[best])
				best = r;
		if (!best)
			break;
		e->host[best] = (int8_t)pool[k];
		e->alloc |= 1ull << best;
	}
	e->written &= e->alloc;
	return live_in & e->alloc;
}

static void *rx_of(const struct jit *j, const uint8_t *rw)
{
	return j->rx + (rw - j->rw);
}

void jit_compile(struct jit *j, struct block *b, const struct op *ops, struct block *const *table)
{
	b->native = b->chained = b->slot[0] = b->slot[1] = NULL;
	if (!j || j->used + BLOCK_ROOM > JIT_BYTES)
		return;
	struct em e = {.p = j->rw + j->used, .b = b, .table = table, .cached = -1, .avail = -1};
	e.count = b->nops - (ops[b->nops - 1].kind == K_END);
	uint8_t *start = e.p;
	uint64_t live_in = allocate(&e, ops, b->nops);
	EMIT(&e, "\x53\x41\x54\x41\x55\x41\x56\x55\x41\x57"); /* push rbx r12 r13 r14 rbp r15 */
	EMIT(&e, "\x48\x83\xec\x08");		/* sub rsp, 8: calls need rsp 16-aligned */
	EMIT(&e, "\x49\x89\xfc");			/* mov r12, rdi */
	tlb_base(&e);
	/* across chained blocks: r14 the budget left; h->jit_left what it was at the last flush */
	EMIT(&e, "\x4d\x8b\xb4\x24"), b4(&e, (uint32_t)offsetof(struct hart, jit_left)); /* mov r14, [r12+left] */
	EMIT(&e, "\x49\x8b\x84\x24"), b4(&e, (uint32_t)offsetof(struct hart, pc)); /* mov rax, [r12+pc] */
	uint8_t *chained = e.p;				/* here from a predecessor's code, pc in rax: */
	EMIT(&e, "\x49\x89\xc5");			/* mov r13, rax */
	uint8_t *to_stale = NULL;
	if (b->selfcheck) { /* a fence.i since its last check? then the engine checks it */
		EMIT(&e, "\x48\xb9"), imm64(&e, (uint64_t)(uintptr_t)&b->checked); /* mov rcx, &checked */
		EMIT(&e, "\x49\x8b\x94\x24"), b4(&e, (uint32_t)offsetof(struct hart, fencei_gen)); /* mov rdx, [r12+gen] */
		EMIT(&e, "\x48\x3b\x11");			/* cmp rdx, [rcx] */
		to_stale = jcc_fwd(&e, 0x5);			/* jne stale */
	}
	const struct op *last = &ops[b->nops - 1];
	if ((last->kind == K_JAL || (last->kind >= K_BEQ && last->kind <= K_BGEU)) &&
	    last->off + last->imm == 0) { /* a loop: see self_exit() */
		reload(&e, e.alloc);
		e.dirty = e.written;
		e.loop = e.p;
	} else {
		reload(&e, live_in);
	}
	uint32_t i;
	for (i = 0; i < b->nops; i++)
		if (!emit_op(&e, &ops[i], i))
			break;
	if (i < b->nops) { /* the engine runs the rest, from this operation on */
		writeback(&e, e.dirty);
		leave(&e, i);
	}
	slow_paths(&e);
	if (to_stale) {
		patch(to_stale, e.p);
		EMIT(&e, "\x4d\x89\xac\x24"), b4(&e, (uint32_t)offsetof(struct hart, pc)); /* mov [r12+pc], r13 */
		leave(&e, JIT_STALE);
	}
	uint8_t *epilogue = e.p;
	EMIT(&e, "\x4d\x89\xac\x24"), b4(&e, (uint32_t)offsetof(struct hart, jit_bpc)); /* mov [r12+bpc], r13 */
	flush_instret(&e);
	EMIT(&e, "\x48\x83\xc4\x08");		/* add rsp, 8 */
	EMIT(&e, "\x41\x5f\x5d\x41\x5e\x41\x5d\x41\x5c\x5b\xc3"); /* pop r15 rbp r14 r13 r12 rbx; ret */
	for (unsigned k = 0; k < e.nepi; k++)
		patch(e.to_epilogue[k], epilogue);
	for (unsigned link = 0; link < 2; link++)
		if (e.slot_ref[link])
			b->slot[link] = rx_of(j, e.slot_ref[link]);
	size_t n = (size_t)(e.p - start);
	b->native = rx_of(j, start);
	b->chained = rx_of(j, chained);
	j->used += (n + 15) & ~(size_t)15;
}

void jit_link(struct jit *j, struct block *b, int link, const struct block *next)
{
	if (!j || !b->native || !next->chained || link < 0 || link > 1 || !b->slot[link])
		return;
	/* the rel32 of b's jump, written through the writable view of the code */
	int32_t rel = (int32_t)((uint8_t *)next->chained - ((uint8_t *)b->slot[link] + 4));
	memcpy(j->rw + ((uint8_t *)b->slot[link] - j->rx), &rel, sizeof(rel));
}

#else /* no code generator for this host: the block engine runs alone */

struct jit *jit_new(void) { return NULL; }
bool jit_full(const struct jit *j) { (void)j; return false; }
void jit_free(struct jit *j) { (void)j; }
void jit_flush(struct jit *j) { (void)j; }
void jit_compile(struct jit *j, struct block *b, const struct op *ops, struct block *const *table)
{
	(void)j, (void)ops, (void)table;
	b->native = b->chained = b->slot[0] = b->slot[1] = NULL;
}
void jit_link(struct jit *j, struct block *b, int link, const struct block *next)
{
	(void)j, (void)b, (void)link, (void)next;
}

#endif
