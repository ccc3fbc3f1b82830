# Conventions every tool shares (mie_cli), checked through mie-validate.
. "$TOP/tests/lib.sh"
V="$BIN/mie-validate"
printf '%s\n' '{"type":"article","id":"a:article:1","title":"Un"}' '{"type":"article","id":"a:article:2","title":"Deux"}' > two.jsonl

run "$V" --help; check_exit "--help exit" 0
check_grep "--help usage" "Usage: mie-validate [OPTION]... [FILE]..." out
check_grep "--help lists common options" "  -o, --output FILE" out
check_grep "--help lists tool options" "      --rejects FILE" out
check_grep "--help exit codes" "Exit status: 0" out
run "$V" --version; check_exit "--version exit" 0
check_grep "--version text" "mie-validate 1.0.0 (interchange schema v1)" out

run "$V" --bogus two.jsonl; check_exit "unknown option exit" 2
check_text "unknown option message" "mie-validate: unknown option \"--bogus\"
Try 'mie-validate --help' for more information." err
run "$V" --to yaml two.jsonl; check_exit "bad --to exit" 2
check_grep "bad --to message" 'mie-validate: --to: unknown form "yaml" (jsonl or xml)' err
run "$V" -o; check_exit "missing argument exit" 2
check_grep "missing argument message" "mie-validate: option -o needs an argument FILE" err
run "$V" nosuchfile.jsonl; check_exit "missing input exit" 2
check_grep "missing input message" "mie-validate: nosuchfile.jsonl: cannot open: No such file or directory" err

# stdin, "-" and several inputs in order
run sh -c "cat two.jsonl | '$V' -q - two.jsonl"
check_exit "stdin and file exit" 1
check_grep "stdin and file: duplicate ids found across inputs" "two.jsonl:1: a:article:1: id: duplicate id (first at (stdin):1)" err

# -o is atomic: a failed run leaves the previous file as it was
echo previous > kept.jsonl
run "$V" -o kept.jsonl nosuchfile.jsonl; check_exit "failed run exit" 2
check_text "previous output untouched" "previous" kept.jsonl
if ls -a | grep -q '^\.kept\.jsonl\.'; then fail "no temporary left" "$(ls -a)"; else pass "no temporary left"; fi
run "$V" -o kept.jsonl two.jsonl; check_exit "-o exit" 0
check_same "-o content" two.jsonl kept.jsonl
# -o pointing at a symbolic link replaces the link, never writes through it
echo victim > victim.txt; ln -s victim.txt link.jsonl
run "$V" -o link.jsonl two.jsonl
check_text "symlink target untouched" "victim" victim.txt
# -o naming an input, or stdout redirected onto an input: refused
run "$V" -o two.jsonl two.jsonl; check_exit "-o is an input exit" 2
check_grep "-o is an input message" 'mie-validate: -o "two.jsonl" is the same file as the input "two.jsonl"' err
"$V" two.jsonl >> two.jsonl 2>err; rc=$?; check_exit "stdout is an input exit" 2
# a full disk is an error, said once
run sh -c "'$V' two.jsonl > /dev/full"; check_exit "/dev/full exit" 2
check_text "/dev/full message" "mie-validate: (stdout): write error: No space left on device" err
# | head ends quietly
for i in $(seq 1 20000); do echo "{\"type\":\"article\",\"id\":\"a:article:$i\"}"; done > many.jsonl
run sh -c "'$V' many.jsonl | head -1"
check_text "| head output" '{"type":"article","id":"a:article:1"}' out
check_empty "| head quiet" err
# -q silences warnings and summary, not errors
run "$V" -q two.jsonl; check_empty "-q silent" err
# progress on stderr when asked, also from a pipe (no percentage: size unknown)
run sh -c "(cat many.jsonl; sleep 1; cat many.jsonl) | '$V' -q --progress > /dev/null"
check_grep "--progress from a pipe" "records/s" err
run sh -c "'$V' -q --progress --no-progress many.jsonl > /dev/null"
check_empty "--no-progress" err
# -o onto a device writes to it, never replaces it
run "$V" -o /dev/null two.jsonl; check_exit "-o /dev/null exit" 0
if [ -c /dev/null ]; then pass "/dev/null still a device"; else fail "/dev/null still a device" "$(ls -l /dev/null)"; fi
