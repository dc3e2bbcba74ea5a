# A preset naming another preset (x -> y -> x): refused, exit 2.
EXIT=2
MSG="preset"
SHARE=share
