/*
 * Sv48 address translation (including a 512 GiB page): see paging.h (failure
 * line numbers refer to it).
 */
#include "paging.h"

TEST_NAME("sv48");

void test_main(void)
{
    paging_checks(4);
}
