/* kernel/kvmm/hostile/bzimage.S: the hostile guest as a bzImage, the only
 * kernel format thatte-kvmm's loader and `thatte-mkboot --guest-kernel`
 * take. The setup header's fields and offsets are those of Linux's x86
 * boot protocol (Documentation/arch/x86/boot.rst), version 2.15: one setup
 * sector after the boot sector (no real-mode code: only the 64-bit entry
 * is used), a relocatable 64-bit kernel that wants 16 MiB, 2 MiB aligned
 * (it runs only there: main.c checks). HOSTILE_PAYLOAD names the flat
 * binary of head.S and the C parts, linked at 16 MiB. */
        .section .bzimage, "a"
image:
        .org 0x1f1
        .byte 1                         /* setup_sects */
        .word 0                         /* root_flags */
        .long (payload_end - payload + 15) / 16 /* syssize, 16-byte units */
        .word 0, 0, 0                   /* ram_size, vid_mode, root_dev */
        .word 0xaa55                    /* boot_flag */
        .byte 0xeb, header_end - image - 0x202 /* jump: its length says where the header ends */
        .ascii "HdrS"
        .word 0x020f                    /* version */
        .long 0                         /* realmode_swtch */
        .word 0, 0                      /* start_sys_seg, kernel_version */
        .byte 0                         /* type_of_loader */
        .byte 1                         /* loadflags: LOADED_HIGH */
        .word 0                         /* setup_move_size */
        .long 0x100000                  /* code32_start */
        .long 0, 0, 0                   /* ramdisk_image, ramdisk_size, bootsect_kludge */
        .word 0                         /* heap_end_ptr */
        .byte 0, 0                      /* ext_loader_ver, ext_loader_type */
        .long 0                         /* cmd_line_ptr */
        .long 0x7fffffff                /* initrd_addr_max */
        .long 0x200000                  /* kernel_alignment */
        .byte 1                         /* relocatable_kernel */
        .byte 21                        /* min_alignment: 2 MiB */
        .word 1                         /* xloadflags: XLF_KERNEL_64 */
        .long 2047                      /* cmdline_size */
        .long 0                         /* hardware_subarch */
        .quad 0                         /* hardware_subarch_data */
        .long 0, 0                      /* payload_offset, payload_length */
        .quad 0                         /* setup_data */
        .quad 0x1000000                 /* pref_address */
        .long 0x200000                  /* init_size: the payload, its bss and stack */
        .long 0, 0                      /* handover_offset, kernel_info_offset */
header_end:
        .org 0x400
payload:
        .incbin HOSTILE_PAYLOAD
payload_end:
        .section .note.GNU-stack, "", @progbits
