/* init-net.c: the first Ethernet interface, configured for QEMU's user
 * networking (slirp), whose addresses are fixed: the guest is 10.0.2.15/24,
 * the gateway 10.0.2.2, the DNS server 10.0.2.3. No DHCP client is needed,
 * and so none is in the initramfs. */
#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driveros/init.h"

#define NET_CLASS "/sys/class/net"

/* The first interface (by name) that is Ethernet (type 1) on a device. */
static int find_ethernet(char *name, size_t size)
{
        struct dirent *d;
        DIR *dir = opendir(NET_CLASS);
        int found = -ENOENT;

        if (!dir)
                return -errno;
        while ((d = readdir(dir))) {
                char path[512], type[16] = "";
                struct stat st;
                FILE *f;

                if (d->d_name[0] == '.' || strlen(d->d_name) >= IFNAMSIZ)
                        continue;
                snprintf(path, sizeof path, NET_CLASS "/%s/device", d->d_name);
                if (stat(path, &st) < 0)
                        continue;
                snprintf(path, sizeof path, NET_CLASS "/%s/type", d->d_name);
                f = fopen(path, "re");
                if (!f)
                        continue;
                if (!fgets(type, sizeof type, f))
                        type[0] = '\0';
                fclose(f);
                if (strcmp(type, "1\n") != 0 || (found == 0 && strcmp(d->d_name, name) > 0))
                        continue;
                snprintf(name, size, "%s", d->d_name);
                found = 0;
        }
        closedir(dir);
        return found;
}

static void set_in(struct sockaddr *sa, const char *addr)
{
        struct sockaddr_in *in = (struct sockaddr_in *)sa;

        memset(in, 0, sizeof *in);
        in->sin_family = AF_INET;
        (void)inet_pton(AF_INET, addr, &in->sin_addr);
}

static int configure(int fd, const char *ifname)
{
        struct rtentry rt = { 0 };
        struct ifreq ifr = { 0 };

        snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
        set_in(&ifr.ifr_addr, "10.0.2.15");
        if (ioctl(fd, SIOCSIFADDR, &ifr) < 0)
                return -errno;
        set_in(&ifr.ifr_netmask, "255.255.255.0");
        if (ioctl(fd, SIOCSIFNETMASK, &ifr) < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
                return -errno;
        ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
        if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
                return -errno;
        set_in(&rt.rt_dst, "0.0.0.0");
        set_in(&rt.rt_genmask, "0.0.0.0");
        set_in(&rt.rt_gateway, "10.0.2.2");
        rt.rt_flags = RTF_UP | RTF_GATEWAY;
        rt.rt_dev = (char *)ifname;
        if (ioctl(fd, SIOCADDRT, &rt) < 0 && errno != EEXIST)
                return -errno;
        return 0;
}

static void write_resolv_conf(void)
{
        static const char text[] = "nameserver 10.0.2.3\n";
        int fd;

        (void)mkdir("/etc", 0755);
        fd = open("/etc/resolv.conf", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
                return;
        (void)!write(fd, text, sizeof text - 1);
        close(fd);
}

int init_network_up(char *ifname, size_t size)
{
        int fd, r;

        r = find_ethernet(ifname, size);
        if (r < 0)
                return r;
        fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        r = configure(fd, ifname);
        close(fd);
        if (r == 0)
                write_resolv_conf();
        return r;
}
