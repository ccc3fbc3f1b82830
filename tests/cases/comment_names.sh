# A comment that names a mie_* function, macro, type, file or prefix names
# one that exists (tests/cases/comment_names.py says how it is looked for).
. "$TOP/tests/lib.sh"
# Names a comment may use though no code defines them, each with its reason:
EXCEPTIONS=""

python3 "$TOP/tests/cases/comment_names.py" "$TOP" $EXCEPTIONS > names.log
check_empty "every mie_* name in a comment exists" names.log

# the check itself: a made-up name in a comment is caught, a real one is not
mkdir -p t/libcommon/core t/tools
printf '/* see mie_thing_new() and mie_gone_at(), mie_thing_ */\nint mie_thing_new(void);\n' > t/libcommon/core/mie_thing.h
python3 "$TOP/tests/cases/comment_names.py" t > t.log
check_text "a comment naming a missing function is caught" "libcommon/core/mie_thing.h:1: mie_gone_at" t.log
python3 "$TOP/tests/cases/comment_names.py" t mie_gone_at > t.log
check_empty "a listed exception is let through" t.log
