/* tests/boot/test-root.c: a stand-in root task for the test kernel, which
 * never runs it: it only has to be a valid user-half ELF module. */
void _start(void);

void _start(void)
{
        for (;;)
                __asm__ volatile("pause");
}
