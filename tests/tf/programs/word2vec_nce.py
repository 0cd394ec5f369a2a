"""Skip-gram word2vec with NCE (the "word2vec basic" lesson): a tiny corpus, a
vocabulary, (center, context) batches, ``embedding_lookup`` + ``nce_loss`` with the
log-uniform sampler, SGD, cosine similarity of normalized embeddings.

Random: the initial values and the sampled negatives come from each library's own
generator, so the comparison is by loss and by the similarity structure learnt, within
a stated tolerance (TOLERANCE)."""
import collections

import numpy as np

# average NCE loss within 25% of TensorFlow's; the learnt neighbour test is exact
TOLERANCE = {"rtol": 0.25, "atol": 0.0}
EXACT = ("neighbours_ok",)

CORPUS = ("the king rules the land the queen rules the land the king and the queen "
          "live in the castle a dog and a cat live in the house the dog chases the cat "
          "the cat chases a mouse a mouse lives in the house the king has a dog "
          "the queen has a cat ") * 6


def build_dataset(words):
    count = collections.Counter(words).most_common()
    dictionary = {w: i for i, (w, _) in enumerate(count)}
    return [dictionary[w] for w in words], dictionary


def generate_pairs(data, window=1):
    pairs = []
    for i in range(window, len(data) - window):
        for j in range(-window, window + 1):
            if j:
                pairs.append((data[i], data[i + j]))
    return np.array(pairs)


def main(tf, steps=600):
    data, dictionary = build_dataset(CORPUS.split())
    vocabulary_size = len(dictionary)
    pairs = generate_pairs(data)
    batch_size, embedding_size, num_sampled = 64, 16, 8
    tf.set_random_seed(1)

    train_inputs = tf.placeholder(tf.int32, shape=[batch_size])
    train_labels = tf.placeholder(tf.int32, shape=[batch_size, 1])
    embeddings = tf.Variable(tf.random_uniform([vocabulary_size, embedding_size], -1.0,
                                               1.0))
    embed = tf.nn.embedding_lookup(embeddings, train_inputs)
    nce_weights = tf.Variable(tf.truncated_normal([vocabulary_size, embedding_size],
                                                  stddev=1.0 / np.sqrt(embedding_size)))
    nce_biases = tf.Variable(tf.zeros([vocabulary_size]))
    loss = tf.reduce_mean(tf.nn.nce_loss(weights=nce_weights, biases=nce_biases,
                                         labels=train_labels, inputs=embed,
                                         num_sampled=num_sampled,
                                         num_classes=vocabulary_size))
    optimizer = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    norm = tf.sqrt(tf.reduce_sum(tf.square(embeddings), 1, keepdims=True))
    normalized = embeddings / norm
    similarity = tf.matmul(normalized, normalized, transpose_b=True)

    rng = np.random.RandomState(0)
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        average = 0
        for step in range(1, steps + 1):
            idx = rng.randint(0, len(pairs), batch_size)
            feed = {train_inputs: pairs[idx, 0], train_labels: pairs[idx, 1:]}
            _, lv = sess.run([optimizer, loss], feed_dict=feed)
            average += lv
            if step % 200 == 0:
                losses.append(average / 200)
                average = 0
        sim = sess.run(similarity)
    # after training, "king" is closer to "queen" than to "mouse"
    d = dictionary
    ok = float(sim[d["king"], d["queen"]] > sim[d["king"], d["mouse"]])
    return {"avg_loss": losses, "neighbours_ok": ok}
