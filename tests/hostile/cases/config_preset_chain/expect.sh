# A preset naming another preset (x -> y -> x): refused, exit 2.
EXIT=2
MSG="a preset cannot name another preset"
SHARE=share
