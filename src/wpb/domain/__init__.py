"""Pure domain rules that are not law: state machines of the service's work, in the standard
library only (tests/test_architecture.py enforces it)."""
