/*
 * jit.c - x86-64 code for the block engine's decoded blocks (see block.h).
 *
 * Straight template code: the guest registers stay in hart->x (rbx points
 * at them), r12 holds the hart, r13 the block's guest pc; rax, rcx and rdx
 * are scratch.  Every operation either completes on its fast path or
 * leaves through a stub that returns its index, so that the block engine
 * performs it (the slow path of a load or store, a fallback) and goes on.
 * Loads and stores do the data TLB's index, compare, add inline.
 *
 * The code lives in a memfd mapped twice: written through a read-write
 * mapping, run through a read-execute one (never both at one address).
 */
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cpu/alu.h"
#include "cpu/block.h"
#include "cpu/hart.h"

#define JIT_BYTES (32u << 20)
#define BLOCK_ROOM 8192 /* the most code one block needs (64 ops + stubs) */

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

/* --- emitting ------------------------------------------------------------ */

struct em {
	uint8_t *p;
	struct { uint8_t *at; uint32_t index; } exits[BLOCK_MAX + 1];
	unsigned nexits;
	uint8_t *to_epilogue[2 * BLOCK_MAX + 8];
	unsigned nepi;
};

static void b1(struct em *e, unsigned v) { *e->p++ = (uint8_t)v; }
static void b4(struct em *e, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		b1(e, v >> (8 * i));
}
static void bytes(struct em *e, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		b1(e, (uint8_t)s[i]);
}
#define EMIT(e, s) bytes(e, s, sizeof(s) - 1)

enum { RAX = 0, RCX = 1, RDX = 2 };

static int32_t xoff(unsigned r) { return (int32_t)(8 * r); }

/* mov reg, [rbx + 8*r] / mov [rbx + 8*r], reg (64-bit) */
static void ld_x(struct em *e, unsigned reg, unsigned r)
{
	b1(e, 0x48), b1(e, 0x8b), b1(e, 0x83 | reg << 3), b4(e, (uint32_t)xoff(r));
}
static void st_x(struct em *e, unsigned reg, unsigned r)
{
	b1(e, 0x48), b1(e, 0x89), b1(e, 0x83 | reg << 3), b4(e, (uint32_t)xoff(r));
}
/* <op> rax, [rbx + 8*r], op one of add 03, sub 2b, and 23, or 0b, xor 33, cmp 3b; w: 64-bit */
static void alu_x(struct em *e, unsigned opc, unsigned r, bool w)
{
	if (w)
		b1(e, 0x48);
	b1(e, opc), b1(e, 0x83), b4(e, (uint32_t)xoff(r));
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
/* mov eax, v; jmp epilogue */
static void leave(struct em *e, uint32_t v)
{
	b1(e, 0xb8), b4(e, v);
	b1(e, 0xe9), e->to_epilogue[e->nepi++] = e->p, b4(e, 0);
}
/* jcc rel32 (cc: the low nibble of 0f 8x) to an exit stub returning index */
static void jcc_exit(struct em *e, unsigned cc, uint32_t index)
{
	b1(e, 0x0f), b1(e, 0x80 | cc);
	e->exits[e->nexits].at = e->p;
	e->exits[e->nexits++].index = index;
	b4(e, 0);
}
static void patch(uint8_t *at, const uint8_t *to)
{
	int32_t rel = (int32_t)(to - (at + 4));
	for (unsigned i = 0; i < 4; i++)
		at[i] = (uint8_t)((uint32_t)rel >> (8 * i));
}

/* rax = x[rs1] + imm; rcx = the data TLB entry; jumps to the exit unless the tag at tag_off matches. */
static void tlb_check(struct em *e, const struct op *op, unsigned size, size_t tag_off,
		      uint32_t index)
{
	ld_x(e, RAX, op->rs1);
	alu_imm(e, 0x05, op->imm, true);		/* add rax, imm */
	EMIT(e, "\x48\x89\xc1");			/* mov rcx, rax */
	EMIT(e, "\x48\xc1\xe9"), b1(e, PAGE_SHIFT);	/* shr rcx, 12 */
	EMIT(e, "\x81\xe1"), b4(e, TLB_SIZE - 1);	/* and ecx, TLB_SIZE - 1 */
	EMIT(e, "\x48\xc1\xe1\x05");			/* shl rcx, 5 */
	EMIT(e, "\x49\x03\x8c\x24"), b4(e, (uint32_t)offsetof(struct hart, tlb_data));
	EMIT(e, "\x48\x89\xc2");			/* mov rdx, rax */
	EMIT(e, "\x48\x81\xe2"), b4(e, (uint32_t)(0xfffff000u | (size - 1))); /* and rdx, tag mask */
	EMIT(e, "\x48\x3b\x51"), b1(e, (unsigned)tag_off); /* cmp rdx, [rcx + tag] */
	jcc_exit(e, 0x5, index);			/* jne exit */
	EMIT(e, "\x48\x03\x41"), b1(e, (unsigned)offsetof(struct tlb_entry, addend)); /* add rax, [rcx+addend] */
}

static uint64_t helper_muldiv(uint64_t f3, uint64_t a, uint64_t b)
{
	return muldiv((unsigned)f3, a, b);
}

static uint64_t helper_muldivw(uint64_t f3, uint64_t a, uint64_t b)
{
	uint64_t r = 0;
	muldiv32((unsigned)f3, a, b, &r);
	return r;
}

static void call_helper(struct em *e, const struct op *op, uint64_t (*fn)(uint64_t, uint64_t, uint64_t))
{
	b1(e, 0xbf), b4(e, op->f3);			/* mov edi, f3 */
	EMIT(e, "\x48\x8b\xb3"), b4(e, (uint32_t)xoff(op->rs1)); /* mov rsi, [rbx + rs1] */
	ld_x(e, RDX, op->rs2);
	EMIT(e, "\x48\xb8");				/* mov rax, imm64 */
	uint64_t a = (uint64_t)(uintptr_t)fn;
	for (unsigned i = 0; i < 8; i++)
		b1(e, a >> (8 * i));
	EMIT(e, "\xff\xd0");				/* call rax */
	st_x(e, RAX, op->rd);
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
	case K_MULDIV:
		call_helper(e, op, helper_muldiv);
		return true;
	case K_MULDIVW:
		call_helper(e, op, helper_muldivw);
		return true;
	case K_LB: case K_LH: case K_LW: case K_LD: case K_LBU: case K_LHU: case K_LWU: {
		static const unsigned size[] = {[K_LB] = 1, [K_LH] = 2, [K_LW] = 4, [K_LD] = 8,
						[K_LBU] = 1, [K_LHU] = 2, [K_LWU] = 4};
		tlb_check(e, op, size[op->kind], offsetof(struct tlb_entry, tag_r), i);
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
		return true;
	}
	case K_SB: case K_SH: case K_SW: case K_SD: {
		static const unsigned size[] = {[K_SB] = 1, [K_SH] = 2, [K_SW] = 4, [K_SD] = 8};
		tlb_check(e, op, size[op->kind], offsetof(struct tlb_entry, tag_w), i);
		ld_x(e, RDX, op->rs2);
		switch (op->kind) {
		case K_SB: EMIT(e, "\x88\x10"); break;		/* mov [rax], dl */
		case K_SH: EMIT(e, "\x66\x89\x10"); break;
		case K_SW: EMIT(e, "\x89\x10"); break;
		default: EMIT(e, "\x48\x89\x10"); break;
		}
		return true;
	}
	case K_JAL:
		lea_pc(e, op->off + op->len);
		st_x(e, RAX, op->rd);
		lea_pc(e, op->off + op->imm);
		st_hart(e, pc_off);
		leave(e, JIT_CHAIN + 1);
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
		leave(e, JIT_CHAIN + 0);
		return true;
	case K_BEQ: case K_BNE: case K_BLT: case K_BGE: case K_BLTU: case K_BGEU: {
		ld_x(e, RAX, op->rs1);
		alu_x(e, 0x3b, op->rs2, true);
		b1(e, 0x0f), b1(e, 0x80 | branch_cc(op->kind));
		uint8_t *taken = e->p;
		b4(e, 0);
		lea_pc(e, op->off + op->len);
		st_hart(e, pc_off);
		leave(e, JIT_CHAIN + 2);
		patch(taken, e->p);
		lea_pc(e, op->off + op->imm);
		st_hart(e, pc_off);
		leave(e, JIT_CHAIN + 1);
		return true;
	}
	case K_END:
		lea_pc(e, op->off);
		st_hart(e, pc_off);
		leave(e, JIT_CHAIN + 2);
		return true;
	}
	return false; /* FALLBACK */
}

void *jit_compile(struct jit *j, const struct block *b, const struct op *ops)
{
	if (!j || j->used + BLOCK_ROOM > JIT_BYTES)
		return NULL;
	struct em e = {.p = j->rw + j->used};
	uint8_t *start = e.p;
	EMIT(&e, "\x53\x41\x54\x41\x55");		/* push rbx; push r12; push r13 */
	EMIT(&e, "\x49\x89\xfc\x48\x89\xf3");		/* mov r12, rdi; mov rbx, rsi */
	EMIT(&e, "\x4d\x8b\xac\x24"), b4(&e, (uint32_t)offsetof(struct hart, pc)); /* mov r13, [r12+pc] */
	uint32_t i;
	for (i = 0; i < b->nops; i++)
		if (!emit_op(&e, &ops[i], i))
			break;
	if (i < b->nops) /* the engine runs the rest, from this operation on */
		leave(&e, i);
	for (unsigned k = 0; k < e.nexits; k++) {
		patch(e.exits[k].at, e.p);
		leave(&e, e.exits[k].index);
	}
	uint8_t *epilogue = e.p;
	EMIT(&e, "\x41\x5d\x41\x5c\x5b\xc3");		/* pop r13; pop r12; pop rbx; ret */
	for (unsigned k = 0; k < e.nepi; k++)
		patch(e.to_epilogue[k], epilogue);
	size_t n = (size_t)(e.p - start);
	void *code = j->rx + j->used;
	j->used += (n + 15) & ~(size_t)15;
	return code;
}

#else /* no code generator for this host: the block engine runs alone */

struct jit *jit_new(void) { return NULL; }
bool jit_full(const struct jit *j) { (void)j; return false; }
void jit_free(struct jit *j) { (void)j; }
void jit_flush(struct jit *j) { (void)j; }
void *jit_compile(struct jit *j, const struct block *b, const struct op *ops)
{
	(void)j, (void)b, (void)ops;
	return NULL;
}

#endif
