/* mie-cat — concatenates record streams (JSON Lines or XML, detected) into
 * one, in the form asked, without checking them.  See man/mie-cat.1. */
#include "cli/mie_cli.h"
#include "record/mie_record.h"
#include "formats/mie_sink.h"

static int run(const mie_cli *cli)
{
	mie_sink *out = mie_sink_open(cli->output, cli->to);
	if (!out)
		return -1;
	mie_records *in = mie_cli_records(cli, 0);
	mie_buf why = MIE_BUF_INIT;
	json_t *rec;
	mie_loc loc;
	while (!mie_sink_failed(out) && mie_records_next(in, &rec, &loc) == MIE_READ_OK) {
		mie_buf_reset(&why);
		if (mie_sink_put(out, rec, &why) == MIE_WRITE_BAD)
			mie_error_at(&loc, "%s: %s", mie_rec_id_or_dash(rec), why.data);
		json_decref(rec);
	}
	mie_buf_release(&why);
	mie_records_free(&in);
	return mie_sink_close(&out);
}

int main(int argc, char **argv)
{
	mie_cli cli = {.prog = "mie-cat",
	               .synopsis = "[OPTION]... [FILE]...",
	               .purpose = "Concatenate interchange record streams (JSON Lines or XML, "
	                          "detected) into one,\nin the form asked, without checking them.",
	               .features = MIE_CLI_FORM | MIE_CLI_OUTPUT};
	if (mie_cli_parse(&cli, argc, argv) == MIE_CLI_RUN)
		run(&cli);
	return mie_cli_exit();
}
