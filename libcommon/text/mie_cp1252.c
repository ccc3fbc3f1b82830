/* mie_cp1252.c — the total windows-1252 table: what ISO-8859-1 text really
 * holds in 0x80-0x9F, and the five bytes windows-1252 leaves undefined kept
 * as the C1 code points latin-1 gives them (MySQL's "latin1" does the same),
 * so that no byte is ever lost. */
#include "text/mie_text.h"

static const uint16_t cp1252_high[32] = {
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

uint32_t mie_cp1252_to_ucs(unsigned char b)
{
	if (b >= 0x80 && b < 0xA0)
		return cp1252_high[b - 0x80];
	return b;
}

int mie_cp1252_from_ucs(uint32_t cp)
{
	if (cp < 0x100)
		return (int)cp;
	for (int i = 0; i < 32; i++)
		if (cp1252_high[i] == cp)
			return 0x80 + i;
	return -1;
}
