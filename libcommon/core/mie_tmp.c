#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/mie_buf.h"
#include "core/mie_err.h"
#include "core/mie_tmp.h"

FILE *mie_tmpfile(void)
{
	const char *dir = getenv("TMPDIR");
	dir = dir && *dir ? dir : "/tmp";
	mie_buf p = MIE_BUF_INIT;
	mie_buf_adds(&p, dir);
	mie_buf_adds(&p, "/mie-XXXXXX"); /* mkstemp's template: it fills in the six X */
	int fd = mkstemp(p.data);
	FILE *f = NULL;
	static atomic_int said; /* a missing $TMPDIR is one problem, said once */
	if (fd < 0 && atomic_fetch_add(&said, 1)) {
		mie_status_raise(MIE_EXIT_FATAL);
	} else if (fd < 0) {
		mie_fatal("%s: cannot create a temporary file: %s", dir, strerror(errno));
	} else {
		unlink(p.data);
		if (!(f = fdopen(fd, "w+")))
			mie_die("out of memory");
	}
	mie_buf_release(&p);
	return f;
}
