"""tf.train's Adadelta, Ftrl, ProximalAdagrad, ProximalGradientDescent and AdagradDA
optimizers give TensorFlow's values, slots and sparse updates.

The expected values are TensorFlow 2.21's (``tf.compat.v1``, CPU), from the programs in
PROGRAM and EAGER_PROGRAM run there (written below as constants for a machine without
TensorFlow); the oracle tests run them again where it is installed (``NDGRAD_TF_PYTHON``).
"""
import subprocess

import numpy as np
import pytest

import ndgrad.tf as tf

PROGRAM = '''
import numpy as np

E0 = (np.arange(24).reshape(6, 4) / 10.0 - 1.0)
OPTIMIZERS = {
    "adadelta": lambda tf, gs: tf.train.AdadeltaOptimizer(1.0),
    "adadelta_p": lambda tf, gs: tf.train.AdadeltaOptimizer(0.5, rho=0.9, epsilon=1e-4),
    "ftrl": lambda tf, gs: tf.train.FtrlOptimizer(0.1),
    "ftrl_l1l2": lambda tf, gs: tf.train.FtrlOptimizer(
        0.2, l1_regularization_strength=0.05, l2_regularization_strength=0.1,
        initial_accumulator_value=0.5),
    "ftrl_power": lambda tf, gs: tf.train.FtrlOptimizer(
        0.2, learning_rate_power=-0.3, l1_regularization_strength=0.01),
    "ftrl_shrink": lambda tf, gs: tf.train.FtrlOptimizer(
        0.2, l1_regularization_strength=0.01, l2_regularization_strength=0.02,
        l2_shrinkage_regularization_strength=0.1),
    "proximal_adagrad": lambda tf, gs: tf.train.ProximalAdagradOptimizer(0.2),
    "proximal_adagrad_l1l2": lambda tf, gs: tf.train.ProximalAdagradOptimizer(
        0.2, l1_regularization_strength=0.05, l2_regularization_strength=0.1),
    "proximal_gd": lambda tf, gs: tf.train.ProximalGradientDescentOptimizer(0.05),
    "proximal_gd_l1l2": lambda tf, gs: tf.train.ProximalGradientDescentOptimizer(
        0.05, l1_regularization_strength=0.1, l2_regularization_strength=0.2),
    "adagrad_da": lambda tf, gs: tf.train.AdagradDAOptimizer(0.2, gs),
    "adagrad_da_l1l2": lambda tf, gs: tf.train.AdagradDAOptimizer(
        0.2, gs, l1_regularization_strength=0.05, l2_regularization_strength=0.1),
}
# float32 for "32", float64 for "64" (for the two Proximal optimizers TF's kernels read
# the Python-number hyper-parameters as float32 tensors: float64 is TF's TypeError)
FLOAT64_OK = {k for k in OPTIMIZERS if not k.startswith("proximal_")}
BATCHES = [[0, 2], [2, 3], [0, 0, 5], [1], [3, 2]] * 2


def loss_of(tf, E, ids, lookup, dtype):
    if lookup == "one_hot":
        rows = tf.matmul(tf.one_hot(ids, 6, dtype=dtype), E)
    elif lookup == "embedding":
        rows = tf.nn.embedding_lookup(E, ids)
    else:
        rows = tf.gather(E, ids)
    w = tf.constant(np.array([1.0, 2.0, 3.0, 4.0]), dtype=dtype)
    return tf.reduce_sum(tf.square(rows - 0.5) * w)


def train(tf, opt_name, lookup, bits):
    """10 steps on a 6x4 table through ``lookup`` ("gather" with repeated ids,
    "one_hot": the same loss through a dense matmul); the table, every slot (by name)
    and the global step after them."""
    dtype = tf.float32 if bits == "32" else tf.float64
    g = tf.Graph()
    with g.as_default():
        gs = tf.train.get_or_create_global_step()
        E = tf.Variable(E0.astype(dtype.as_numpy_dtype), name="E")
        ids = tf.placeholder(tf.int32, (None,))
        opt = OPTIMIZERS[opt_name](tf, gs)
        train_op = opt.minimize(loss_of(tf, E, ids, lookup, dtype), global_step=gs)
        slots = {n: opt.get_slot(E, n) for n in opt.get_slot_names()}
        init = tf.global_variables_initializer()
    with tf.Session(graph=g) as s:
        s.run(init)
        for b in BATCHES:
            s.run(train_op, {ids: b})
        out = {"E": s.run(E), "step": s.run(gs)}
        for n, v in slots.items():
            out[n + ":" + v.op.name] = s.run(v)
        return out


def train_eager(tf, tf1, opt_name, gather, bits):
    """The same steps under eager execution: a tape per step, apply_gradients."""
    dtype = tf.float32 if bits == "32" else tf.float64
    gs = tf.Variable(0, dtype=tf.int64)
    E = tf.Variable(E0.astype(dtype.as_numpy_dtype))
    opt = OPTIMIZERS[opt_name](tf1, gs)
    for b in BATCHES:
        with tf.GradientTape() as t:
            loss = loss_of(tf, E, b, "gather" if gather else "one_hot", dtype)
        opt.apply_gradients(zip(t.gradient(loss, [E]), [E]), global_step=gs)
    return {"E": E.numpy(), "step": gs.numpy()}
'''
_P = {}
exec(PROGRAM, _P)

# TensorFlow 2.21's tables after the 10 steps (graph mode): (optimizer, lookup, bits) -> E
TF_TABLES = {
    ("adadelta", "gather", "32"): [
        -0.998043478, -0.898043513, -0.798043549, -0.698043525, -0.599099994, -0.49909997,
        -0.399100006, -0.299100012, -0.197260022, -0.0972604901, 0.00273883878,
        0.102737851, 0.201814204, 0.301813006, 0.401809394, 0.5, 0.600000024, 0.699999988,
        0.800000012, 0.899999976, 0.999100089, 1.09910011, 1.19910014, 1.29910004],
    ("adadelta", "one_hot", "32"): [
        -0.9980582, -0.898058176, -0.798058271, -0.698058307, -0.59910059, -0.499100566,
        -0.399100572, -0.299100578, -0.197260976, -0.0972614288, 0.00273791957,
        0.102736957, 0.201813132, 0.301812023, 0.401808619, 0.5, 0.600000024, 0.699999988,
        0.800000012, 0.899999976, 0.999100626, 1.09910071, 1.19910073, 1.29910064],
    ("adadelta", "gather", "64"): [
        -0.99804350177246215, -0.89804353162403039, -0.79804356608176741,
        -0.69804360628705042, -0.59909996545276767, -0.49909997441625625,
        -0.39909998538579394, -0.29909999910119456, -0.19726001812902316,
        -0.097260494458131674, 0.0027388384629859364, 0.10273783759460683,
        0.20181419458279212, 0.3018129929179349, 0.40180937846000131, 0.5,
        0.60000000000000009, 0.69999999999999996, 0.80000000000000004, 0.89999999999999991,
        0.99910007328020733, 1.0991000402714604, 1.1991000167412813, 1.2990999991011944],
    ("adadelta_p", "gather", "32"): [
        -0.930679142, -0.830715001, -0.730758548, -0.630809665, -0.568081558, -0.468090504,
        -0.368103921, -0.268121123, -0.104473323, -0.00508000422, 0.0940459222,
        0.192720935, 0.262036443, 0.360406935, 0.455010056, 0.5, 0.600000024, 0.699999988,
        0.800000012, 0.899999976, 0.968231797, 1.06817603, 1.16814411, 1.26812112],
    ("adadelta_p", "one_hot", "32"): [
        -0.931704402, -0.831735373, -0.731773257, -0.631817877, -0.568145037, -0.46815154,
        -0.368161976, -0.268175423, -0.104406238, -0.00497437734, 0.0942039192,
        0.192954227, 0.262216777, 0.360756725, 0.455750257, 0.5, 0.600000024, 0.699999988,
        0.800000012, 0.899999976, 0.968265772, 1.06821907, 1.16819358, 1.26817536],
    ("adadelta_p", "gather", "64"): [
        -0.93067916856371657, -0.83071500945229004, -0.73075851662027691,
        -0.63080973839928722, -0.56808153179767773, -0.46809051176885297,
        -0.36810391565814288, -0.26812113534209669, -0.10447331676970015,
        -0.0050799993085969639, 0.094045919135516132, 0.19272092474449798,
        0.2620364559895349, 0.36040691784827106, 0.45501004017151153, 0.5,
        0.60000000000000009, 0.69999999999999996, 0.80000000000000004, 0.89999999999999991,
        0.96823174500689557, 1.0681760442270254, 1.1681440903750779, 1.2681211353420965],
    ("ftrl", "gather", "32"): [
        -0.613199055, -0.565798998, -0.484240383, -0.394155025, -0.352061093, -0.29577893,
        -0.211512327, -0.120305121, 0.154622331, 0.223835215, 0.30270493, 0.37867859,
        0.343247026, 0.426032335, 0.458303064, 0.208663523, 0.600000024, 0.699999988,
        0.800000012, 0.899999976, 0.583843589, 0.806335628, 0.951395273, 1.07378423],
    ("ftrl", "one_hot", "32"): [
        -0.613199055, -0.565798998, -0.484240383, -0.394155025, 0.156437322, 0.160888582,
        0.161760464, 0.162069395, 0.154622331, 0.223835215, 0.30270493, 0.37867859,
        0.239517361, 0.244599581, 0.245588437, 0.245938286, 0, 0, 0, 0, 0.156437322,
        0.160888582, 0.161760464, 0.162069395],
    ("ftrl", "gather", "64"): [
        -0.61319908587807892, -0.56579895044013218, -0.48424041201775575,
        -0.39415492949213277, -0.352061084169703, -0.29577893679428763,
        -0.21151234679542907, -0.12030510625233143, 0.15462233377426568,
        0.22383522193546726, 0.30270491242101932, 0.37867856141431055, 0.34324701430277121,
        0.42603231543807418, 0.4583030275137101, 0.20866351406471462, 0.60000000000000009,
        0.69999999999999996, 0.80000000000000004, 0.89999999999999991, 0.58384365495986867,
        0.80633557856414617, 0.95139533340886517, 1.0737842970339078],
    ("ftrl_l1l2", "gather", "32"): [
        -0.237138465, -0.244444937, -0.185753211, -0.109678186, -0.113875642,
        -0.0976293981, -0.0314643383, 0.0456777476, 0.3556813, 0.406699061, 0.450919122,
        0.482400179, 0.391872495, 0.465857387, 0.475434661, 0.359993368, 0.600000024,
        0.699999988, 0.800000012, 0.899999976, 0.318314523, 0.557755828, 0.717930675,
        0.853749752],
    ("ftrl_l1l2", "one_hot", "32"): [
        -0.237138465, -0.244444937, -0.185753211, -0.109678186, 0.24668701, 0.282025844,
        0.291418076, 0.295305043, 0.3556813, 0.406699061, 0.450919122, 0.482400179,
        0.359852016, 0.392056316, 0.399991125, 0.403186232, 0, 0, 0, 0, 0.24668701,
        0.282025844, 0.291418076, 0.295305043],
    ("ftrl_l1l2", "gather", "64"): [
        -0.23713848826684678, -0.24444497094479764, -0.18575315392411473,
        -0.1096781853491462, -0.11387563929496601, -0.097629384346534606,
        -0.031464317026015973, 0.045677782602107461, 0.35568129077646826,
        0.40669909956123934, 0.45091911502638898, 0.48240016999007912, 0.39187249462212942,
        0.46585733062257323, 0.47543467608557316, 0.35999340827784232, 0.60000000000000009,
        0.69999999999999996, 0.80000000000000004, 0.89999999999999991, 0.31831448576806687,
        0.55775585063985267, 0.71793065504684506, 0.85374983129030579],
    ("ftrl_power", "gather", "32"): [
        0.113679767, 0.281527847, 0.388185173, 0.452205837, 0.00315984362, 0.130343735,
        0.242602214, 0.33450982, 0.426661253, 0.483330667, 0.497796744, 0.499939919,
        0.446148306, 0.496235579, 0.49999851, 0.483893603, 0.600000024, 0.699999988,
        0.800000012, 0.899999976, 0.385488719, 0.495797783, 0.545083463, 0.579782844],
    ("ftrl_power", "one_hot", "32"): [
        0.113679849, 0.281527877, 0.388185173, 0.452205867, 0.301834553, 0.378678799,
        0.422174007, 0.450448006, 0.426661283, 0.483330667, 0.497796744, 0.499939919,
        0.414472997, 0.467889845, 0.486918509, 0.494761765, 0, 0, 0, 0, 0.301834553,
        0.378678799, 0.422174007, 0.450448006],
    ("ftrl_power", "gather", "64"): [
        0.11367979016655809, 0.28152787409793495, 0.38818520335299816, 0.45220585438403482,
        0.0031598660371603624, 0.13034376341103224, 0.24260221656869682,
        0.33450986814567529, 0.42666126868769105, 0.48333074049115704, 0.49779674476852431,
        0.49993991218745681, 0.44614831635918101, 0.4962355842881902, 0.49999851026069242,
        0.48389365430935471, 0.60000000000000009, 0.69999999999999996, 0.80000000000000004,
        0.89999999999999991, 0.38548869993064888, 0.49579776567418421, 0.54508349717657723,
        0.57978296311839939],
    ("ftrl_shrink", "gather", "32"): [
        -0.327560514, -0.291677237, -0.216333836, -0.131417334, -0.182579547, -0.133092836,
        -0.0528062508, 0.0343628712, 0.345170677, 0.399008363, 0.445088655, 0.476000309,
        0.432102948, 0.475161165, 0.484185934, 0.318747729, 0.600000024, 0.699999988,
        0.800000012, 0.899999976, 0.460195333, 0.652685642, 0.791219652, 0.911306083],
    ("ftrl_shrink", "one_hot", "32"): [
        -0.307190299, -0.281612813, -0.210347518, -0.12768814, 0.288285702, 0.3117899,
        0.314244092, 0.311212808, 0.332370996, 0.390006185, 0.437323183, 0.469342589,
        0.344973594, 0.364005327, 0.364662975, 0.360514253, -0.0207452737, -0.0245171413,
        -0.0282890089, -0.0320608728, 0.1782116, 0.185191602, 0.180470914, 0.172903404],
    ("ftrl_shrink", "gather", "64"): [
        -0.32756050806695963, -0.29167727862164544, -0.216333851614852,
        -0.13141731685780564, -0.18257956876358905, -0.13309283552756884,
        -0.05280625247531455, 0.034362868624827451, 0.3451706585768145,
        0.39900838936026045, 0.4450886664010833, 0.47600029865549648, 0.43210293407311939,
        0.47516117819859788, 0.48418592763851603, 0.31874775376261699, 0.60000000000000009,
        0.69999999999999996, 0.80000000000000004, 0.89999999999999991, 0.46019536893715141,
        0.65268553599563772, 0.79121967838341678, 0.91130621971638626],
    ("proximal_adagrad", "gather", "32"): [
        -0.44782725, -0.349683076, -0.252873033, -0.156875193, -0.275992006, -0.175861239,
        -0.0776475221, 0.019693844, 0.338009745, 0.405696839, 0.456522077, 0.488078743,
        0.488769054, 0.499994785, 0.49396798, 0.5, 0.600000024, 0.699999988, 0.800000012,
        0.899999976, 0.707699895, 0.791106343, 0.884447634, 0.980306149],
    ("proximal_adagrad", "one_hot", "32"): [
        -0.44782719, -0.349683076, -0.252873033, -0.156875193, -0.275991976, -0.175861239,
        -0.0776475221, 0.0196938068, 0.338009745, 0.405696809, 0.456522077, 0.488078713,
        0.488769054, 0.499994785, 0.49396798, 0.5, 0.600000024, 0.699999988, 0.800000012,
        0.899999976, 0.707699895, 0.791106343, 0.884447634, 0.980306149],
    ("proximal_adagrad_l1l2", "gather", "32"): [
        -0.431122541, -0.341477454, -0.247544751, -0.153010264, -0.263277113, -0.169655591,
        -0.0736727193, 0.0200217962, 0.314097613, 0.387121439, 0.441928893, 0.476008028,
        0.442537218, 0.475601882, 0.474635303, 0.524630368, 0.600000024, 0.699999988,
        0.800000012, 0.899999976, 0.669753015, 0.773005426, 0.873120189, 0.972278714],
    ("proximal_adagrad_l1l2", "one_hot", "32"): [
        -0.4089652, -0.3305417, -0.240437016, -0.14785558, -0.0527598709, 0, 0.0750226676,
        0.136471689, 0.295528144, 0.375542194, 0.432927817, 0.468858927, 0.394485623,
        0.461140066, 0.488379568, 0.485194892, 0.0957402736, 0.149898529, 0.20405677,
        0.25821498, 0.422201484, 0.547245562, 0.650382876, 0.745743394],
    ("proximal_gd", "gather", "32"): [
        -0.27760005, 0.177440003, 0.398079991, 0.482720017, -0.391000003, -0.140000001,
        0.0589999706, 0.212000012, 0.127991304, 0.342713594, 0.44117552, 0.481337607,
        0.303169996, 0.418080002, 0.475989997, 0.5, 0.600000024, 0.699999988, 0.800000012,
        0.899999976, 0.904999971, 0.884000003, 0.842999995, 0.787999988],
    ("proximal_gd", "one_hot", "32"): [
        -0.27760005, 0.177440003, 0.398079991, 0.482720017, -0.391000003, -0.140000001,
        0.0589999706, 0.212000012, 0.127991304, 0.342713594, 0.44117552, 0.481337607,
        0.303169996, 0.418080002, 0.475989997, 0.5, 0.600000024, 0.699999988, 0.800000012,
        0.899999976, 0.904999971, 0.884000003, 0.842999995, 0.787999988],
    ("proximal_gd_l1l2", "gather", "32"): [
        -0.247258365, 0.180125192, 0.385517061, 0.470367998, -0.373443782, -0.127389506,
        0.0577884465, 0.201892003, 0.119634457, 0.315969646, 0.41590184, 0.459100962,
        0.27725926, 0.392401159, 0.452111751, 0.478647411, 0.600000024, 0.699999988,
        0.800000012, 0.899999976, 0.878296196, 0.858690381, 0.819478512, 0.766542494],
    ("proximal_gd_l1l2", "one_hot", "32"): [
        -0.203951165, 0.178580791, 0.362838477, 0.447764009, -0.306610733, -0.0793836862,
        0.0810644999, 0.191026613, 0.11254321, 0.299187541, 0.400395989, 0.445978373,
        0.24423033, 0.362631321, 0.427025318, 0.458653599, 0.495815754, 0.586344421,
        0.676873267, 0.767401814, 0.780096412, 0.768889308, 0.739212751, 0.696498036],
    ("adagrad_da", "gather", "32"): [
        0.326739192, 0.332302332, 0.337502748, 0.342847377, 0.243489459, 0.248400405,
        0.252635986, 0.257246673, 0.399488449, 0.413615048, 0.425887495, 0.437452048,
        0.373547018, 0.383343607, 0.370768517, 0.327541709, 0.600000024, 0.699999988,
        0.800000012, 0.899999976, 0.0439783148, 0.0212730933, -0.000113929862,
        -0.0188500714],
    ("adagrad_da", "one_hot", "32"): [
        0.326739192, 0.332302362, 0.337502778, 0.342847377, 0.265857667, 0.27216363,
        0.273396045, 0.27383253, 0.399488389, 0.413615048, 0.425887525, 0.437452048,
        0.361615211, 0.367349118, 0.368461907, 0.368855417, -0, -0, -0, -0, 0.265857667,
        0.27216363, 0.273396045, 0.27383253],
    ("adagrad_da", "gather", "64"): [
        0.32673917127155433, 0.33230238160101788, 0.33750275990395184, 0.34284740347855813,
        0.24348945235200981, 0.24840041914127325, 0.25263598233597234, 0.25724666773411481,
        0.39948844013072327, 0.41361502891744006, 0.42588751747848114, 0.43745203409112143,
        0.37354698094588196, 0.38334361992974358, 0.37076853060587361, 0.32754171903573587,
        0.60000000000000009, 0.69999999999999996, 0.80000000000000004, 0.89999999999999991,
        0.043978308940391425, 0.021273097713639964, -0.00011392902409942603,
        -0.018850082227690745],
    ("adagrad_da_l1l2", "gather", "32"): [
        0.294715047, 0.314880043, 0.325052083, 0.332846224, 0.192480356, 0.219264552,
        0.230911776, 0.238969922, 0.32832846, 0.37148118, 0.393759727, 0.409973174,
        0.264313608, 0.311547577, 0.318248779, 0.300004035, 0.600000024, 0.699999988,
        0.800000012, 0.899999976, 0, 0, -0, -0.0105130319],
    ("adagrad_da_l1l2", "one_hot", "32"): [
        0.287570268, 0.310869813, 0.322153896, 0.330503076, 0.171247214, 0.218306154,
        0.23596257, 0.245180249, 0.331707776, 0.373734981, 0.395605028, 0.411624908,
        0.275416225, 0.319072396, 0.335114449, 0.343413889, -0, -0, -0, -0, 0.169951975,
        0.217625186, 0.235503778, 0.244834363],
    ("adagrad_da_l1l2", "gather", "64"): [
        0.29471506354997351, 0.31488001225495138, 0.32505208430669913, 0.33284626318039201,
        0.19248037220829176, 0.21926452787699191, 0.2309117711544032, 0.23896990080264319,
        0.3283284903570991, 0.3714811986594897, 0.39375977689445746, 0.4099731716069166,
        0.2643136027646979, 0.31154758959993745, 0.31824880085377499, 0.30000402933268877,
        0.60000000000000009, 0.69999999999999996, 0.80000000000000004, 0.89999999999999991,
        0, 0, -0, -0.010513033943090368],
}
# the slots' checkpoint names, as TF's (slot name: variable name)
TF_SLOTS = {
    "adadelta": ['accum:E/Adadelta', 'accum_update:E/Adadelta_1'],
    "adadelta_p": ['accum:E/Adadelta', 'accum_update:E/Adadelta_1'],
    "ftrl": ['accum:E/Ftrl', 'linear:E/Ftrl_1'],
    "ftrl_l1l2": ['accum:E/Ftrl', 'linear:E/Ftrl_1'],
    "ftrl_power": ['accum:E/Ftrl', 'linear:E/Ftrl_1'],
    "ftrl_shrink": ['accum:E/Ftrl', 'linear:E/Ftrl_1'],
    "proximal_adagrad": ['accumulator:E/ProximalAdagrad'],
    "proximal_adagrad_l1l2": ['accumulator:E/ProximalAdagrad'],
    "proximal_gd": [],
    "proximal_gd_l1l2": [],
    "adagrad_da": ['gradient_accumulator:E/AdagradDA', 'gradient_squared_accumulator:E/AdagradDA_1'],
    "adagrad_da_l1l2": ['gradient_accumulator:E/AdagradDA', 'gradient_squared_accumulator:E/AdagradDA_1'],
}
# NumPy's and Eigen's float32 sqrt/rsqrt/pow differ in the last bits (Eigen's rsqrt
# is a refined estimate), and the one_hot path adds matmul rounding: up to ~2e-6 after
# 10 steps (float64: ~1e-15)
RTOL = {"32": 3e-6, "64": 1e-12}


@pytest.mark.parametrize("key", sorted(TF_TABLES))
def test_optimizers_give_tensorflows_tables(key):
    opt, lookup, bits = key
    got = _P["train"](tf, opt, lookup, bits)
    dt = np.float32 if bits == "32" else np.float64
    assert got["E"].dtype == dt
    np.testing.assert_allclose(got["E"].ravel(), np.array(TF_TABLES[key], dt),
                               rtol=RTOL[bits], atol=1e-7 if bits == "32" else 1e-14)
    assert got["step"] == 10
    assert sorted(k for k in got if ":" in k) == TF_SLOTS[opt]   # TF's checkpoint names


# where a zero gradient changes nothing, the dense update is the sparse one
_ZERO_GRAD_IS_A_NO_OP = {"proximal_adagrad", "proximal_gd"}
# ... changes the slots only (Adadelta's decaying accumulators: later steps differ)
_ZERO_GRAD_MOVES_SLOTS_ONLY = {"adadelta", "adadelta_p"}


@pytest.mark.parametrize("opt", sorted(_P["OPTIMIZERS"]))
def test_a_gather_updates_only_its_rows_as_tfs_sparse_kernels(opt):
    # a zero gradient moves a row with l1/l2 shrinkage, decaying accumulators, or var
    # recomputed from the slots (FTRL, AdagradDA: 0 on a row never reached); TF's
    # sparse kernels update the gathered rows only, so the row no batch reached stays
    sparse = _P["train"](tf, opt, "gather", "32")["E"]
    dense = _P["train"](tf, opt, "one_hot", "32")["E"]
    np.testing.assert_array_equal(sparse[4], _P["E0"][4].astype(np.float32))
    assert np.allclose(dense, sparse, rtol=1e-5) == (opt in _ZERO_GRAD_IS_A_NO_OP)
    assert np.array_equal(dense[4], sparse[4]) == (
        opt in _ZERO_GRAD_IS_A_NO_OP | _ZERO_GRAD_MOVES_SLOTS_ONLY)


@pytest.mark.parametrize("opt", ["proximal_adagrad", "proximal_gd_l1l2"])
def test_proximal_optimizers_reject_float64_variables_as_tf(opt, mode):
    # TF passes their Python-number hyper-parameters uncast: float32 tensors, a
    # TypeError for a float64 variable (the others cast them); eager: TF's kernel's
    # InvalidArgumentError
    E = tf.Variable(np.ones((2, 2)))
    o = _P["OPTIMIZERS"][opt](tf, None)
    if mode == "eager":
        with tf.GradientTape() as t:
            loss = tf.reduce_sum(E * E)
        grads = t.gradient(loss, [E])
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="expected to be a float64 tensor .* but is a float32"):
            o.apply_gradients(zip(grads, [E]))
        np.testing.assert_array_equal(E.numpy(), 1.0)        # nothing written
    else:
        with pytest.raises(TypeError, match="float32 that does not match type float64"):
            o.minimize(tf.reduce_sum(E * E))


@pytest.fixture
def eager():
    tf.enable_eager_execution()
    yield
    tf.disable_eager_execution()


def test_eager_optimizers_give_tensorflows_tables(eager):
    for (opt, lookup, bits), want in TF_TABLES.items():
        if lookup != "gather" and bits == "64":
            continue
        got = _P["train_eager"](tf, tf, opt, lookup == "gather", bits)
        dt = np.float32 if bits == "32" else np.float64
        assert got["E"].dtype == dt
        np.testing.assert_allclose(got["E"].ravel(), np.array(want, dt), rtol=RTOL[bits],
                                   atol=1e-7 if bits == "32" else 1e-14,
                                   err_msg=f"{opt} {lookup} {bits}")
        assert got["step"] == 10


def test_eager_optimizers_read_a_schedule_callable(eager):
    step = tf.Variable(0, dtype=tf.int64)
    lr = tf.train.exponential_decay(0.5, step, 1, 0.5)     # a callable under eager
    w = tf.Variable([1.0, -1.0])
    opt = tf.train.ProximalGradientDescentOptimizer(lr)
    for _ in range(2):
        with tf.GradientTape() as t:
            loss = tf.reduce_sum(w * w)
        opt.apply_gradients(zip(t.gradient(loss, [w]), [w]), global_step=step)
    # w * (1 - 2 * 0.5) = 0 after the first step at lr 0.5, then stays 0
    np.testing.assert_array_equal(w.numpy(), [0.0, 0.0])
    assert int(step.numpy()) == 2


def test_optimizer_argument_errors_as_tfs():
    with pytest.raises(ValueError, match="learning_rate_power 0.500000 needs to be negative"):
        tf.train.FtrlOptimizer(0.1, learning_rate_power=0.5)
    with pytest.raises(ValueError, match="l1_regularization_strength -1.000000 needs to be "
                                         "positive or zero"):
        tf.train.FtrlOptimizer(0.1, l1_regularization_strength=-1.0)
    with pytest.raises(ValueError, match="initial_accumulator_value must be positive"):
        tf.train.ProximalAdagradOptimizer(0.1, initial_accumulator_value=0.0)
    with pytest.raises(ValueError, match="initial_gradient_squared_accumulator_value must "
                                         "be positive"):
        tf.train.AdagradDAOptimizer(0.1, None, initial_gradient_squared_accumulator_value=0)


def test_a_checkpoint_restores_ftrls_and_adadeltas_slots(tmp_path):
    E = tf.Variable(np.ones((3, 2), np.float32), name="E")
    loss = tf.reduce_sum(tf.square(E - 2.0))
    ftrl = tf.train.FtrlOptimizer(0.1, l1_regularization_strength=0.01)
    ada = tf.train.AdadeltaOptimizer(1.0)
    train = [ftrl.minimize(loss), ada.minimize(loss)]
    saver = tf.train.Saver()
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for _ in range(3):
            s.run(train)
        path = saver.save(s, str(tmp_path / "ckpt"))
        want = s.run([E, ftrl.get_slot(E, "linear"), ada.get_slot(E, "accum_update")])
    names = dict(tf.train.list_variables(path))
    assert {"E/Ftrl", "E/Ftrl_1", "E/Adadelta", "E/Adadelta_1"} <= set(names)
    with tf.Session() as s:
        saver.restore(s, path)
        got = s.run([E, ftrl.get_slot(E, "linear"), ada.get_slot(E, "accum_update")])
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)


ORACLE = """
import sys, numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()
ns = {}
exec(open(sys.argv[1]).read(), ns)
out = {}
for opt in ns["OPTIMIZERS"]:
    for lookup in ("embedding", "gather", "one_hot"):
        for bits in ("32", "64"):
            key = "/".join((opt, lookup, bits))
            try:
                res = ns["train"](tf, opt, lookup, bits)
            except TypeError as e:
                out[key + "/TypeError"] = np.array(str(e))
                continue
            for k, v in res.items():
                out[key + "/" + k] = v
np.savez(sys.argv[2], **out)
"""

EAGER_ORACLE = """
import sys, numpy as np
import tensorflow as tf
ns = {}
exec(open(sys.argv[1]).read(), ns)
out = {}
for opt in ns["OPTIMIZERS"]:
    for gather in (True, False):
        for bits in ("32", "64"):
            if bits == "64" and opt not in ns["FLOAT64_OK"]:
                continue
            res = ns["train_eager"](tf, tf.compat.v1, opt, gather, bits)
            for k, v in res.items():
                out["/".join((opt, str(gather), bits, k))] = v
np.savez(sys.argv[2], **out)
"""


def _oracle(tmp_path, tf_python, oracle):
    (tmp_path / "program.py").write_text(PROGRAM)
    (tmp_path / "oracle.py").write_text(oracle)
    subprocess.run([tf_python, str(tmp_path / "oracle.py"), str(tmp_path / "program.py"),
                    str(tmp_path / "tf.npz")], check=True, capture_output=True)
    return np.load(tmp_path / "tf.npz")


def test_every_optimizer_lookup_and_dtype_gives_tensorflows_values(tmp_path, tf_python):
    want = _oracle(tmp_path, tf_python, ORACLE)
    runs = sorted({"/".join(f.split("/")[:3]) for f in want.files})
    assert len(runs) == len(_P["OPTIMIZERS"]) * 6
    for run in runs:
        opt, lookup, bits = run.split("/")
        if run + "/TypeError" in want.files:
            with pytest.raises(TypeError):
                _P["train"](tf, opt, lookup, bits)
            continue
        got = _P["train"](tf, opt, lookup, bits)
        keys = sorted(f.split("/", 3)[3] for f in want.files if f.startswith(run + "/"))
        assert sorted(got) == keys, run
        for k in keys:
            w = want[run + "/" + k]
            assert got[k].dtype == w.dtype, (run, k)
            np.testing.assert_allclose(got[k], w, rtol=RTOL[bits],
                                       atol=1e-7 if bits == "32" else 1e-14,
                                       err_msg=f"{run} {k}")


def test_eager_optimizers_give_tensorflows_values(tmp_path, tf_python, eager):
    want = _oracle(tmp_path, tf_python, EAGER_ORACLE)
    for f in want.files:
        opt, gather, bits, k = f.split("/")
        got = _P["train_eager"](tf, tf, opt, gather == "True", bits)[k]
        assert got.dtype == want[f].dtype, f
        np.testing.assert_allclose(got, want[f], rtol=RTOL[bits],
                                   atol=1e-7 if bits == "32" else 1e-14, err_msg=f)


def test_ftrl_beta_and_slot_names_as_tfs():
    # beta adds beta / (2 lr) to l2 (TF's adjusted l2); accum_name/linear_name name the
    # slot variables; TF 2.21's values after 5 steps
    w = tf.Variable(np.array([1.0, -2.0, 0.3], np.float32), name="w")
    opt = tf.train.FtrlOptimizer(0.2, beta=0.5, l1_regularization_strength=0.01,
                                 accum_name="acc", linear_name="lin")
    train = opt.minimize(tf.reduce_sum(w * w * np.array([1., 2., 3.], np.float32)))
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for _ in range(5):
            s.run(train)
        got = s.run(w)
    np.testing.assert_allclose(got, np.float32([0.29024919867515564, -1.2491477727890015,
                                                0.0022354477550834417]), rtol=1e-6)
    assert [v.op.name for v in opt.variables()] == ["w/acc", "w/lin"]


# -- properties of one step, from TF's kernels' formulas ---------------------------------
from hypothesis import given, settings, strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

_VALUES = hnp.arrays(np.float32, st.integers(1, 6),
                     elements=st.floats(-4, 4, width=32).map(np.float32))


def _one_step(opt, v0, g):
    tf.reset_default_graph()
    w = tf.Variable(v0)
    train = opt.apply_gradients([(tf.constant(g), w)])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(train)
        return s.run(w)


@settings(max_examples=30)
@given(data=st.data(), lr=st.floats(0.01, 1.0), l1=st.floats(0.0, 2.0),
       l2=st.floats(0.0, 2.0))
def test_proximal_and_ftrl_steps_shrink_as_tfs_kernels(data, lr, l1, l2):
    v0 = data.draw(_VALUES)
    g = data.draw(hnp.arrays(np.float32, v0.shape,
                             elements=st.floats(-4, 4, width=32).map(np.float32)))
    lr32, l132, l232 = np.float32(lr), np.float32(l1), np.float32(l2)
    # ProximalGradientDescent: sign(prox) max(|prox| - lr l1, 0) / (1 + lr l2)
    got = _one_step(tf.train.ProximalGradientDescentOptimizer(lr, l1, l2), v0, g)
    prox = v0 - g * lr32
    if l1 > 0:
        want = np.sign(prox) * np.maximum(np.abs(prox) - lr32 * l132, 0) / (1 + l232 * lr32)
    else:
        want = prox / (1 + l232 * lr32)
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)
    assert np.all(got[np.abs(prox) < lr32 * l132 * (1 - 1e-6)] == 0)
    # Ftrl from fresh slots (accum a0 = 0.1, linear 0): linear = g - (sqrt(a0 + g^2) -
    # sqrt(a0)) / lr * v0; var = 0 where |linear| <= l1, else (l1 sign - linear) / y
    got = _one_step(tf.train.FtrlOptimizer(lr, l1_regularization_strength=l1,
                                           l2_regularization_strength=l2), v0, g)
    a0 = np.float32(0.1)
    new = a0 + g * g
    linear = g - (np.sqrt(new) - np.sqrt(a0)) / lr32 * v0
    y = np.sqrt(new) / lr32 + 2 * l232
    want = np.where(np.abs(linear) > l132, (l132 * np.sign(linear) - linear) / y, 0)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert np.all(got[np.abs(linear) < l132 * (1 - 1e-5)] == 0)


@settings(max_examples=15)
@given(v0=_VALUES)
def test_a_zero_gradient_leaves_adadelta_and_adagrad_da_at_their_rules(v0):
    # Adadelta: update = sqrt(0 + eps) / sqrt(0 + eps) * 0 = 0: var unchanged, bit for bit
    # (-0.0 included); AdagradDA: var = -lr * 0 / ... = 0 (TF's dense kernel recomputes it)
    v0 = np.where(v0 == 0, np.float32(-0.0), v0)
    got = _one_step(tf.train.AdadeltaOptimizer(1.0), v0, np.zeros_like(v0))
    assert got.tobytes() == v0.tobytes()
    tf.reset_default_graph()
    step = tf.train.get_or_create_global_step()
    w = tf.Variable(v0)
    train = tf.train.AdagradDAOptimizer(0.1, step).apply_gradients(
        [(tf.constant(np.zeros_like(v0)), w)], global_step=step)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(train)
        np.testing.assert_array_equal(s.run(w), 0.0)
        assert s.run(step) == 1


def test_a_nan_gradient_reaches_the_variable_as_in_tf():
    # no silent repair: TF's kernels propagate NaN (Adadelta: its accumulators too)
    opt = tf.train.AdadeltaOptimizer(1.0)
    got = _one_step(opt, np.float32([1.0, 2.0]), np.float32([np.nan, 1.0]))
    assert np.isnan(got[0]) and np.isfinite(got[1])


def test_apply_gradients_of_no_gradient_is_an_error_in_both_modes():
    """TF raises 'No gradients provided for any variable' before anything else; ndgrad's
    eager apply_gradients did nothing (a training step that silently trained nothing).
    A tensor in compute_gradients' var_list gets its gradient, and apply_gradients
    refuses to update it (TF's NotImplementedError). From TF's optimizer_test.py."""
    tf.enable_eager_execution()
    try:
        v = tf.Variable([1.0, 2.0])
        with pytest.raises(ValueError, match="No gradients provided for any variable"):
            tf.train.GradientDescentOptimizer(0.1).apply_gradients([(None, v)])
        assert v.numpy().tolist() == [1.0, 2.0]
        x = tf.convert_to_tensor(1.0)
        opt = tf.train.GradientDescentOptimizer(3.0)
        (g, xv), = opt.compute_gradients(lambda: x * x, [x])
        assert xv is x and float(g) == 2.0
        with pytest.raises(NotImplementedError, match="update a Tensor"):
            opt.apply_gradients([(g, x)])
    finally:
        tf.disable_eager_execution()
    with tf.Graph().as_default():
        v = tf.Variable([1.0, 2.0])
        with pytest.raises(ValueError, match="No gradients provided for any variable"):
            tf.train.GradientDescentOptimizer(0.1).apply_gradients([(None, v)])
        x = tf.constant(1.0)
        (g, xv), = tf.train.GradientDescentOptimizer(3.0).compute_gradients(x * x, [x])
        with tf.Session() as s:
            assert xv is x and s.run(g) == 2.0


def test_get_global_step_finds_the_usual_global_step_variable():
    """``tf.Variable(0, name='global_step', trainable=False)`` (the TF 1 idiom) is the
    global step ``tf.train.get_global_step()`` gives, as TF's fallback to the tensor
    'global_step:0' makes it: ndgrad gave None (a decay schedule reading it then failed
    or a summary had no step). TF's checks of its dtype and shape (training_util_test)."""
    with tf.Graph().as_default():
        assert tf.train.get_global_step() is None
        step = tf.Variable(0, name="global_step", trainable=False)
        got = tf.train.get_global_step()
        assert got is not None and got.name == "global_step:0"
        lr = tf.train.exponential_decay(0.1, got, 10, 0.5)
        inc = tf.assign_add(step, 10)
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            s.run(inc)
            assert abs(s.run(lr) - 0.05) < 1e-7
    with tf.Graph().as_default():
        tf.Variable([0], name="global_step", trainable=False)
        with pytest.raises(TypeError, match="not scalar"):
            tf.train.get_global_step()


def test_ftrl_l2_with_a_float64_tensor_learning_rate_is_tensorflows():
    """(The optimizer fuzz: a Python l2 beside a float64 tensor learning rate was rounded
    through float32, 1e-10 off TF's; TF 2.15's values.)"""
    E = tf.Variable(np.array([0.5, -0.3]))
    opt = tf.train.FtrlOptimizer(tf.constant(0.3, tf.float64), l1_regularization_strength=0.01,
                                 l2_regularization_strength=0.01)
    train = opt.apply_gradients([(tf.constant([1.5, -0.7], tf.float64), E)])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(train)
        assert s.run(E).tolist() == [0.10095811146279557, 0.092278274770522764]


def test_adam_with_tensor_betas_trains_as_tensorflow():
    """(np.asarray of the beta1 tensor raised; TF 2.15's values.)"""
    w = tf.Variable([1.0, -2.0])
    opt = tf.train.AdamOptimizer(0.1, beta1=tf.constant(0.8), beta2=tf.constant(0.95))
    train = opt.minimize(tf.reduce_sum(w * w))
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for _ in range(3):
            s.run(train)
        np.testing.assert_allclose(s.run(w), [0.70225227, -1.7009406], rtol=1e-6)
        b1p, _ = opt._get_beta_accumulators()
        assert s.run(b1p) == pytest.approx(0.4096, rel=1e-6)


@pytest.mark.parametrize("shape", [(4,), (1,)])
def test_adam_step_size_in_the_variables_type_as_tensorflow(shape):
    """(The optimizer fuzz: lr * sqrt(1 - b2^t) / (1 - b1^t) was computed in float64 and
    rounded once: 1 ulp off TF's float32 kernel, 1.3% off its float16 one; TF 2.15's
    values, the element path and the one-element path.)"""
    w = tf.Variable(np.ones(4, np.float32)[:shape[0]])
    opt = tf.train.AdamOptimizer(0.277, beta1=0.708, beta2=0.9645, epsilon=1e-8)
    train = opt.apply_gradients([(tf.constant([1.0, -2.0, 3.5, 0.25][:shape[0]]), w)])
    w16 = tf.Variable(np.zeros(2, np.float16))
    opt16 = tf.train.AdamOptimizer(0.1)
    train16 = opt16.apply_gradients([(tf.constant([1.0, -0.01], tf.float16), w16)])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run([train, train16])
        want = ["0x1.722d100000000p-1", "0x1.46e9780000000p+0", "0x1.722d100000000p-1",
                "0x1.722d100000000p-1"][:shape[0]]
        assert [float(x).hex() for x in s.run(w)] == want
        np.testing.assert_array_equal(s.run(w16), np.array([-0.1, 0.09045], np.float16))


def test_unknown_gating_and_aggregation_are_refused():
    """(Accepted and ignored; TF raises ValueError.)"""
    w = tf.Variable(1.0)
    opt = tf.train.GradientDescentOptimizer(0.1)
    with pytest.raises(ValueError, match="gate_gradients must be one of"):
        opt.minimize(w * w, gate_gradients=5)
    with pytest.raises(ValueError, match="Invalid aggregation_method specified 99"):
        opt.compute_gradients(w * w, aggregation_method=99)
    opt.minimize(w * w, gate_gradients=tf.train.Optimizer.GATE_GRAPH, aggregation_method=2)
