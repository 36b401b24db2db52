#include "kt.h"
int main(void)
{
        kt_boot();
        ok(1, "x");
        return tap_done();
}
