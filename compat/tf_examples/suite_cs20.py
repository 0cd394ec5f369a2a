"""chiphuyen/stanford-tensorflow-tutorials' TF1 programs (``--suite cs20``): Stanford
CS20's lecture examples (2018's ``examples/`` and 2017's ``2017/examples/``) and the
first assignment's solutions, whose data is in the repository, made by the program or
the harness's synthetic stand-in (MNIST, text8). The ndgrad side's Python needs ``six``
(word2vec_utils imports it).

Not run: the convnets (07_*: minutes of convolutions per epoch here), 04_word2vec_eager
and 04_linreg_eager (``tf.contrib.eager``), the style-transfer and chatbot assignments
(a VGG download, a dialogue corpus), 2017's xls reader (xlrd) and TFRecord example (an
image the repository does not have)."""

SUBDIR = ""
REPO = "chiphuyen/stanford-tensorflow-tutorials"
XFAILS = "xfails_cs20.txt"

_E, _E17 = "examples", "2017/examples"

# A GraphDef's text holds each library's own attributes (ndgrad.tf's ``_ndgrad_op``, TF's
# ``_output_shapes`` ...) and op types (TF 2's AddV2 for TF 1's Add), and TF builds some
# functions from several nodes (``tf.tensordot``'s reshapes, a ``Variable``'s ``read``):
# the programs print the names of the graph's top-level nodes instead, in the graph's
# order (what the lazy-loading lecture is about: one Add node, or ten)
_GRAPH_DEF = {r"print\((tf\.get_default_graph\(\))\.as_graph_def\(\)\s*\)":
              r"print([n.name for n in \1.as_graph_def().node if '/' not in n.name])"}

# name -> (path, substitutions, options), as run.py's PROGRAMS
PROGRAMS = {
    "02_simple_tf": (f"{_E}/02_simple_tf.py", _GRAPH_DEF, {}),
    "02_placeholder": (f"{_E}/02_placeholder.py", {}, {}),
    # the program creates get_variable('scalar') twice in one graph, which TF refuses:
    # the second (Example 2's) is named 'scalar2' on both sides
    "02_variables": (f"{_E}/02_variables.py", {
        r"a = tf\.get_variable\('scalar'": "a = tf.get_variable('scalar2'"}, {}),
    "02_lazy_loading": (f"{_E}/02_lazy_loading.py", _GRAPH_DEF, {}),
    "03_linreg_placeholder": (f"{_E}/03_linreg_placeholder.py", {},
                              {"data": {f"{_E}/utils.py": "utils.py",
                                        f"{_E}/data/birth_life_2010.txt":
                                            "data/birth_life_2010.txt"},
                               "mask": r"Took: [\d.]+ seconds"}),
    "03_linreg_dataset": (f"{_E}/03_linreg_dataset.py", {},
                          {"data": {f"{_E}/utils.py": "utils.py",
                                    f"{_E}/data/birth_life_2010.txt":
                                        "data/birth_life_2010.txt"},
                           "mask": r"Took: [\d.]+ seconds"}),
    "05_randomization": (f"{_E}/05_randomization.py", {}, {}),
    "05_variable_sharing": (f"{_E}/05_variable_sharing.py", {}, {}),
    "03_logreg_placeholder": (f"{_E}/03_logreg_placeholder.py", {
        r"(?m)^n_epochs = 30": "n_epochs = 2"},
        {"data": {f"{_E}/utils.py": "utils.py"}, "mask": r"Total time: [\d.]+ seconds"}),
    # the lecture's own MNIST reader downloads yann.lecun.com's files: the harness's
    # synthetic MNIST takes its place (the same arrays on both sides), and the training
    # set is not shuffled (TF's Dataset.shuffle draws from TF's own random stream)
    "03_logreg": (f"{_E}/03_logreg.py", {
        r"(?m)^utils\.download_mnist\(mnist_folder\)\n": "",
        r"train, val, test = utils\.read_mnist\(mnist_folder, flatten=True\)":
            "from tensorflow.examples.tutorials.mnist import input_data as _in; "
            "_m = _in.read_data_sets(mnist_folder, one_hot=True); "
            "train, val, test = ((_m.train.images, _m.train.labels), "
            "(_m.validation.images, _m.validation.labels), "
            "(_m.test.images, _m.test.labels))",
        r"(?m)^train_data = train_data\.shuffle\(10000\).*\n": "",
        r"(?m)^n_epochs = 30": "n_epochs = 2"},
        {"data": {f"{_E}/utils.py": "utils.py"}, "mask": r"Total time: [\d.]+ seconds"}),
    # the first assignment's solutions compute one ``out`` per exercise and print none:
    # each is printed (evaluated) before the next exercise's header and at the end
    "assignment_01": ("assignments/01/q1_sol.py", {
        r"sess = tf\.InteractiveSession\(\)":
            "sess = tf.InteractiveSession()\n"
            "def _show():\n"
            "    if 'out' in globals(): print(sess.run(globals()['out']))",
        r"(?m)^(#{79}\n# 1[b-h]:)": r"_show()\n\1",
        r"unique_values, indices = tf\.unique\(x\)":
            "unique_values, indices = tf.unique(x)\n"
            "print(sess.run([unique_values, indices]))",
        r"out = tf\.cond\(average < 0, f1, f2\)":
            "out = tf.cond(average < 0, f1, f2)\n_show()"}, {}),
    # three training steps (the program trains forever), each followed by its text
    # generation, cut to 20 characters per seed; the next character is the most likely
    # one (``tf.multinomial`` draws from TF's own random stream) -- the same text on both
    # sides. Its checkpoints (``Saver.save`` after every step) are written beside it
    "11_char_rnn": (f"{_E}/11_char_rnn.py", {
        r"(?m)^(\s*)while True:\n(\s*)batch = next\(data\)":
            r"\1for _ in range(3):\n\2batch = next(data)",
        r"self\.len_generated = 200": "self.len_generated = 20",
        r"tf\.multinomial\(tf\.exp\(self\.logits\[:, -1\] / self\.temp\), 1\)\[:, 0\]":
            "tf.argmax(tf.exp(self.logits[:, -1] / self.temp), 1)"},
        {"data": {f"{_E}/utils.py": "utils.py",
                  f"{_E}/data/trump_tweets.txt": "data/trump_tweets.txt"},
         "mask": r"Time [\d.e-]+"}),
    # text8 is the harness's synthetic one (its own words, 60000 of them); the contrib
    # projector import, which this program does not use, is dropped (TF 2 has no contrib)
    "04_word2vec": (f"{_E}/04_word2vec.py", {
        r"(?m)^from tensorflow\.contrib\.tensorboard\.plugins import projector\n": "",
        r"(?m)^NUM_TRAIN_STEPS = 100000": "NUM_TRAIN_STEPS = 300",
        r"(?m)^SKIP_STEP = 5000": "SKIP_STEP = 50"},
        {"data": {f"{_E}/utils.py": "utils.py",
                  f"{_E}/word2vec_utils.py": "word2vec_utils.py"},
         "synthetic": {"text8": "data/text8.zip"}}),
    "2017_02_feed_dict": (f"{_E17}/02_feed_dict.py", {}, {}),
    "2017_05_randomization": (f"{_E17}/05_randomization.py", {}, {}),
    # the rows are read in the file's order by one thread (``shuffle_batch``'s order is
    # TF's random stream and its threads' timing)
    "2017_05_csv_reader": (f"{_E17}/05_csv_reader.py", {
        r"tf\.train\.string_input_producer\(filenames\)":
            "tf.train.string_input_producer(filenames, shuffle=False)",
        r"tf\.train\.shuffle_batch\(\[features, label\], batch_size=BATCH_SIZE, *\n\s*"
        r"capacity=capacity, min_after_dequeue=min_after_dequeue\)":
            "tf.train.batch([features, label], batch_size=BATCH_SIZE, capacity=capacity)"},
        {"data": {f"{_E17}/data/heart.csv": "data/heart.csv"}}),
    # four threads enqueue the whole data set each (one enqueue_many at a time, whole)
    "2017_09_queue_example": (f"{_E17}/09_queue_example.py", {
        r"for step in range\(100\)": "for step in range(30)"}, {}),
}
