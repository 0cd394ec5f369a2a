"""``tf.app.flags`` / ``tf.flags`` and ``tf.app.run`` (ndgrad/tf/flags.py, app.py): TF 1's
absl-based flags, with its old keyword names and its parse-on-first-read. golbin's
ChatBot, DQN and Inception programs and TF's own models define their options this way;
TF 2.15 printed ``main ['prog', 'extra'] ./model True 30`` for the program of
``test_run_parses_the_flags_and_calls_main`` (checked by a helper)."""
import sys

import pytest

pytest.importorskip("absl")

import ndgrad.tf as tf  # noqa: E402


@pytest.fixture
def flags():
    """tf.app.flags, with every flag a test defines removed and the parse undone after."""
    f = tf.app.flags
    yield f
    for name in [n for n in f.FLAGS if n.startswith("t_")]:   # (the tests' own flags)
        delattr(f.FLAGS, name)
    f.FLAGS.unparse_flags()


def test_run_parses_the_flags_and_calls_main(flags, capsys):
    flags.DEFINE_string("t_train_dir", "./model", "where to save")
    flags.DEFINE_boolean("t_train", False, "train")
    flags.DEFINE_integer("t_epoch", 1000, "epochs")
    FLAGS = flags.FLAGS

    def main(argv):
        print("main", argv, FLAGS.t_train_dir, FLAGS.t_train, FLAGS.t_epoch)
        return 3
    with pytest.raises(SystemExit) as e:
        tf.app.run(main, argv=["prog", "--t_train", "--t_epoch=30", "extra"])
    assert e.value.code == 3
    assert capsys.readouterr().out == "main ['prog', 'extra'] ./model True 30\n"


def test_old_keyword_names_and_aliases(flags):
    assert tf.flags is tf.app.flags
    flags.DEFINE_string(flag_name="t_name", default_value="x", docstring="a name")
    flags.DEFINE_float("t_rate", default_value=0.5, docstring="a rate")
    flags.DEFINE_bool("t_on", True, "on")
    flags.FLAGS(["prog"])
    assert (flags.FLAGS.t_name, flags.FLAGS.t_rate, flags.FLAGS.t_on) == ("x", 0.5, True)
    with pytest.raises(TypeError, match="both 'default_value'"):
        flags.DEFINE_string("t_bad", default="a", default_value="b", help="h")
    with pytest.raises(flags.DuplicateFlagError):
        flags.DEFINE_string("t_name", "y", "again")


def test_reading_a_flag_parses_sys_argv_first(flags, monkeypatch):
    """TF 1's FLAGS parse the command line when a flag is read before any parse, leaving
    flags they do not know alone (a program's own argparse may take them)."""
    flags.DEFINE_integer("t_batch", 32, "batch size")
    monkeypatch.setattr(sys, "argv", ["prog", "--t_batch=8", "--not_a_flag=1"])
    assert not flags.FLAGS.is_parsed()
    assert flags.FLAGS.t_batch == 8
    flags.FLAGS.t_batch = 16
    assert flags.FLAGS["t_batch"].value == 16 and "t_batch" in dir(flags.FLAGS)
    flags.FLAGS.unparse_flags()
    with pytest.raises(flags.IllegalFlagValueError):
        flags.FLAGS(["prog", "--t_batch=many"])
