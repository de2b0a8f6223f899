/* umbra bench: workloads (see work.h).  Freestanding: no libc, no floating point. */
#include "work.h"

#define NOINLINE __attribute__((noinline, noclone))

/* ---- small helpers ------------------------------------------------------------------------ */

static inline uint32_t xorshift32(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

static inline uint64_t xorshift64(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

/* Bitwise (table-less) reflected CRC-32 of the 4 bytes of V, little-endian order. */
static uint32_t crc32_word(uint32_t crc, uint32_t v)
{
    crc = ~crc;
    for (int b = 0; b < 4; b++) {
        crc ^= (v >> (8 * b)) & 0xffu;
        for (int k = 0; k < 8; k++)
            crc = (crc & 1u) ? (crc >> 1) ^ 0xedb88320u : crc >> 1;
    }
    return ~crc;
}

/* Bitwise CRC-16/CCITT (poly 0x1021, MSB first) of one byte. */
static uint16_t crc16_byte(uint16_t crc, uint8_t byte)
{
    crc ^= (uint16_t)((uint16_t)byte << 8);
    for (int k = 0; k < 8; k++)
        crc = (crc & 0x8000u) ? (uint16_t)((crc << 1) ^ 0x1021u) : (uint16_t)(crc << 1);
    return crc;
}

/* ---- intmix part 1: linked lists in an index-linked pool ----------------------------------- */

#define LIST_N 128
#define NIL 0xffffu

struct node {
    uint16_t next;
    uint16_t tag;
    uint32_t key;
};

static struct node pool[LIST_N];

static uint16_t list_build(uint32_t *seed)
{
    for (uint32_t i = 0; i < LIST_N; i++) {
        pool[i].key = xorshift32(seed) & 0xfffffu;
        pool[i].tag = (uint16_t)i;
        pool[i].next = (uint16_t)(i + 1 < LIST_N ? i + 1 : NIL);
    }
    return 0;
}

static uint16_t list_reverse(uint16_t head)
{
    uint16_t prev = NIL;
    while (head != NIL) {
        uint16_t nx = pool[head].next;
        pool[head].next = prev;
        prev = head;
        head = nx;
    }
    return prev;
}

/* Unlinks every node whose key is divisible by DIV; returns the new head, *removed counts. */
static uint16_t list_filter(uint16_t head, uint32_t div, uint32_t *removed)
{
    uint16_t *link = &head;
    while (*link != NIL) {
        struct node *n = &pool[*link];
        if (n->key % div == 0) {
            *link = n->next;
            (*removed)++;
        } else {
            link = &n->next;
        }
    }
    return head;
}

static uint16_t list_merge(uint16_t a, uint16_t b)
{
    uint16_t head = NIL;
    uint16_t *tail = &head;
    while (a != NIL && b != NIL) {
        /* Ties broken by tag: the order is total, so the result does not depend on stability. */
        int take_a = pool[a].key < pool[b].key ||
                     (pool[a].key == pool[b].key && pool[a].tag < pool[b].tag);
        if (take_a) {
            *tail = a;
            tail = &pool[a].next;
            a = pool[a].next;
        } else {
            *tail = b;
            tail = &pool[b].next;
            b = pool[b].next;
        }
    }
    *tail = (a != NIL) ? a : b;
    return head;
}

static uint16_t list_sort(uint16_t head)
{
    if (head == NIL || pool[head].next == NIL)
        return head;
    uint16_t slow = head, fast = pool[head].next;
    while (fast != NIL && pool[fast].next != NIL) {
        slow = pool[slow].next;
        fast = pool[pool[fast].next].next;
    }
    uint16_t second = pool[slow].next;
    pool[slow].next = NIL;
    return list_merge(list_sort(head), list_sort(second));
}

static uint32_t list_round(uint32_t *seed, uint32_t crc)
{
    uint32_t removed = 0;
    uint16_t head = list_build(seed);
    head = list_reverse(head);
    head = list_filter(head, 3u + (*seed & 7u), &removed);
    head = list_sort(head);
    uint32_t prev = 0, inversions = 0, n = 0;
    for (uint16_t p = head; p != NIL; p = pool[p].next) {
        if (pool[p].key < prev)
            inversions++; /* never, if the sort works */
        prev = pool[p].key;
        if ((n & 15u) == 0)
            crc = crc32_word(crc, pool[p].key ^ pool[p].tag);
        n++;
    }
    return crc32_word(crc, (removed << 16) ^ (inversions << 8) ^ n);
}

/* ---- intmix part 2: a token-classifying state machine -------------------------------------- */

enum tok_state { S_START, S_SIGN, S_INT, S_DOT, S_FRAC, S_EXP, S_EXPSIGN, S_EXPNUM, S_BAD, S_NSTATES };

#define TEXT_N 96
static uint8_t text[TEXT_N];
static const uint8_t alphabet[16] = { '0', '1', '2', '3', '4', '5', '6', '7',
                                      '8', '9', '+', '-', '.', 'e', ',', ' ' };

static enum tok_state tok_step(enum tok_state s, uint8_t c)
{
    int digit = c >= '0' && c <= '9';
    switch (s) {
    case S_START:
        if (digit) return S_INT;
        if (c == '+' || c == '-') return S_SIGN;
        if (c == '.') return S_DOT;
        return S_BAD;
    case S_SIGN:
        if (digit) return S_INT;
        if (c == '.') return S_DOT;
        return S_BAD;
    case S_INT:
        if (digit) return S_INT;
        if (c == '.') return S_FRAC;
        if (c == 'e') return S_EXP;
        return S_BAD;
    case S_DOT:
        return digit ? S_FRAC : S_BAD;
    case S_FRAC:
        if (digit) return S_FRAC;
        if (c == 'e') return S_EXP;
        return S_BAD;
    case S_EXP:
        if (digit) return S_EXPNUM;
        if (c == '+' || c == '-') return S_EXPSIGN;
        return S_BAD;
    case S_EXPSIGN:
    case S_EXPNUM:
        return digit ? S_EXPNUM : S_BAD;
    default:
        return S_BAD;
    }
}

static uint32_t scan_round(uint32_t *seed, uint32_t crc)
{
    uint32_t counts[S_NSTATES] = { 0 };
    uint32_t transitions = 0;
    for (uint32_t i = 0; i < TEXT_N; i += 4) {
        uint32_t r = xorshift32(seed);
        for (uint32_t k = 0; k < 4; k++) {
            /* digits twice as likely as the rest */
            uint32_t v = (r >> (8 * k)) & 0xffu;
            text[i + k] = (v & 0x80u) ? alphabet[v % 10u] : alphabet[v & 15u];
        }
    }
    enum tok_state s = S_START;
    for (uint32_t i = 0; i < TEXT_N; i++) {
        uint8_t c = text[i];
        if (c == ',' || c == ' ') {
            counts[s]++;
            s = S_START;
            continue;
        }
        enum tok_state t = tok_step(s, c);
        transitions += (t != s);
        s = t;
    }
    counts[s]++;
    uint16_t c16 = 0xffffu;
    for (uint32_t i = 0; i < S_NSTATES; i++)
        c16 = crc16_byte(c16, (uint8_t)(counts[i] * 7u + i));
    return crc32_word(crc, ((uint32_t)c16 << 16) ^ transitions);
}

/* ---- intmix part 3: small integer matrices ------------------------------------------------- */

#define MAT_N 10
static int32_t ma[MAT_N][MAT_N], mb[MAT_N][MAT_N], mc[MAT_N][MAT_N];

static void mat_init(uint32_t seed)
{
    for (uint32_t i = 0; i < MAT_N; i++)
        for (uint32_t j = 0; j < MAT_N; j++) {
            ma[i][j] = (int32_t)(xorshift32(&seed) & 0xffffu) - 0x8000;
            mb[i][j] = (int32_t)(xorshift32(&seed) & 0xfffu) - 0x800;
        }
}

static uint32_t mat_round(uint32_t round, uint32_t crc)
{
    /* C = A * B, in 64 bits then folded, so nothing overflows a signed type */
    for (uint32_t i = 0; i < MAT_N; i++)
        for (uint32_t j = 0; j < MAT_N; j++) {
            int64_t acc = 0;
            for (uint32_t k = 0; k < MAT_N; k++)
                acc += (int64_t)ma[i][k] * mb[k][j];
            mc[i][j] = (int32_t)(acc >> 4);
        }
    uint32_t mix = 0;
    for (uint32_t i = 0; i < MAT_N; i++) {
        int32_t mx = mc[i][0];
        uint32_t arg = 0;
        for (uint32_t j = 1; j < MAT_N; j++)
            if (mc[i][j] > mx) {
                mx = mc[i][j];
                arg = j;
            }
        mix = (mix << 3 | mix >> 29) ^ (uint32_t)mx ^ arg;
    }
    /* perturb A so every round differs; keep entries bounded */
    for (uint32_t i = 0; i < MAT_N; i++) {
        uint32_t j = (round + i) % MAT_N;
        ma[i][j] = (int32_t)(((uint32_t)ma[i][j] + round * 2654435761u + i) & 0xffffu) - 0x8000;
    }
    return crc32_word(crc, mix);
}

uint32_t intmix_run(uint32_t iters)
{
    uint32_t seed = 0x1234567u, crc = 0;
    mat_init(0xc0ffee11u);
    for (uint32_t r = 0; r < iters; r++) {
        crc = list_round(&seed, crc);
        crc = scan_round(&seed, crc);
        crc = mat_round(r, crc);
    }
    return crc;
}

/* ---- calls --------------------------------------------------------------------------------- */

static uint64_t ncalls;

/* Not inlined, and the second result is used twice, so GCC's tail-recursion pass cannot turn
 * half of the recursion into a loop (it does so for "return f(a) + f(b)").  b >> 60 is always
 * 0 for the n used here. */
static NOINLINE uint64_t fib(uint32_t n)
{
    ncalls++;
    if (n < 2)
        return n;
    uint64_t a = fib(n - 1);
    uint64_t b = fib(n - 2);
    return a + b + (b >> 60);
}

uint64_t calls_run(uint32_t n)
{
    ncalls = 0;
    uint64_t f = fib(n);
    return f ^ (ncalls << 32);
}

/* ---- chase --------------------------------------------------------------------------------- */

void chase_build(uint64_t *buf, uint64_t n, uint64_t seed)
{
    for (uint64_t i = 0; i < n; i++)
        buf[i] = i;
    if (seed == 0)
        seed = 1;
    /* Sattolo: j uniform in [0, i) gives a single cycle through all n slots */
    for (uint64_t i = n - 1; i > 0; i--) {
        uint64_t j = (uint64_t)(((unsigned __int128)xorshift64(&seed) * i) >> 64);
        uint64_t t = buf[i];
        buf[i] = buf[j];
        buf[j] = t;
    }
}

uint64_t chase_run(const uint64_t *buf, uint64_t steps)
{
    uint64_t idx = 0, sum = 0;
    for (uint64_t s = 0; s < steps; s++) {
        idx = buf[idx];
        sum += idx;
    }
    return sum ^ (idx << 40);
}
