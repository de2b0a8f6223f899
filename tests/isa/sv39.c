/*
 * Sv39 address translation: see paging.h (failure line numbers refer to it).
 */
#include "paging.h"

TEST_NAME("sv39");

void test_main(void)
{
    paging_checks(3);
}
