/*
 * A test VFS over SQLite's default (unix) VFS, for power cuts and faults.
 *
 * Power cuts: with buffering on, every write to a main database or WAL
 * file goes to a side buffer (a list of (offset, bytes) per file path)
 * that reads see on top of the real file, as the page cache would; xSync
 * writes the buffer to the real file and then syncs it. A power cut throws
 * the buffers away (or keeps a random part of them, in any order, as a
 * disk with a volatile cache may) and kills every file open at that moment:
 * from then on they answer errors and touch nothing, so a database handle
 * left open (as a crashed process leaves it) changes nothing.
 *
 * Locks and the WAL index (the -shm file) live in this process's memory
 * and are forgotten by a power cut, like a reboot forgets them; so only
 * connections of this process may use a database while the VFS is the
 * default.
 *
 * Faults (on live files): disk full (every write answers SQLITE_FULL),
 * failing syncs (every xSync answers SQLITE_IOERR_FSYNC),
 * random SQLITE_IOERR_WRITE / SQLITE_IOERR_READ, and random SQLITE_BUSY
 * from xLock and from taking a WAL-index lock.
 */
#ifndef PINGAN_TESTS_RELIABILITY_VFS_H
#define PINGAN_TESTS_RELIABILITY_VFS_H

#include <stdbool.h>
#include <stdint.h>

/* Registers the VFS as SQLite's default (once) with buffering off and no faults. 0 or -1. */
int pcvfs_install(void);
/* Makes the unix VFS the default again (open files keep working). */
void pcvfs_uninstall(void);

/* Side buffers for main database and WAL writes (a power cut needs them). */
void pcvfs_set_buffering(bool on);
/*
 * The power cut: each buffered write survives with probability keep (0:
 * all are lost), applied in order; then every open file dies.
 */
void pcvfs_power_cut(double keep, uint64_t *rng);
/*
 * Arms a power cut at the n-th write or sync of a buffered file from now
 * (0 disarms); after_op: that operation completes first, else it is lost
 * and answers an I/O error.
 */
void pcvfs_cut_at(long n, bool after_op, double keep, uint64_t rng_seed);
/* True once an armed cut has happened (cleared by pcvfs_cut_at). */
bool pcvfs_cut_happened(void);

/* Disk full: every write answers SQLITE_FULL. */
void pcvfs_set_full(bool on);
/* A failing disk: every sync of a main database or WAL file answers SQLITE_IOERR_FSYNC. */
void pcvfs_set_sync_fail(bool on);
/* Random faults with these probabilities per call (0 turns them off). */
void pcvfs_set_faults(double p_write_ioerr, double p_read_ioerr, double p_busy, uint64_t seed);

struct pcvfs_stats {
	unsigned long buffered_writes;  /* writes held in side buffers */
	unsigned long syncs;            /* xSync calls on buffered files */
	unsigned long cuts;             /* power cuts */
	unsigned long lost_writes;      /* buffered writes thrown away by cuts */
	unsigned long full;             /* writes refused for disk full */
	unsigned long write_errors;     /* injected SQLITE_IOERR_WRITE */
	unsigned long read_errors;      /* injected SQLITE_IOERR_READ */
	unsigned long busy;             /* injected SQLITE_BUSY */
	unsigned long sync_errors;      /* syncs refused by pcvfs_set_sync_fail */
};

void pcvfs_get_stats(struct pcvfs_stats *out);
void pcvfs_reset_stats(void);

#endif
