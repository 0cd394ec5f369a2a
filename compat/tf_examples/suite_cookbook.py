"""nfmcclure/tensorflow_cookbook's TF1 programs (``--suite cookbook``): the chapters whose
data is made by the program, drawn from NumPy or loaded by scikit-learn (iris)."""

SUBDIR = ""
REPO = "nfmcclure/tensorflow_cookbook"
XFAILS = "xfails_cookbook.txt"

_I, _W, _L, _S, _K, _N, _M = ("01_Introduction", "02_TensorFlow_Way", "03_Linear_Regression",
                              "04_Support_Vector_Machines", "05_Nearest_Neighbor_Methods",
                              "06_Neural_Networks", "11_More_with_TensorFlow")

# The birth-weight programs download the repository's own birthweight.dat with requests;
# here it is written beside them (``data``) and read instead (its CRLF lines restored:
# the runner writes text files with LF lines)
_BIRTH = ({r"(?m)^import requests\n": "",
           r"requests\.get\(birthdata_url\)":
               "__import__('types').SimpleNamespace(text=open('birthweight.dat').read()"
               # (a replacement's backslashes are re.sub's escapes: doubled)
               ".replace('\\\\n', '\\\\r\\\\n'))"},
          {"data": {f"{_I}/07_Working_with_Data_Sources/birthweight_data/birthweight.dat":
                    "birthweight.dat"}})

# ``a, lo, hi = np.nan_to_num(normalize_cols(x))`` took NumPy < 1.24's object array of the
# three results; NumPy 1.24+ refuses the ragged tuple (on both sides): each result is
# cleaned on its own instead
_NAN_TO_NUM = {r"(?m)^(\w+, \w+, \w+) = np\.nan_to_num\((normalize_cols\([^()]*\))\)":
               r"\1 = (np.nan_to_num(_a) for _a in \2)"}

# name -> (path, substitutions, options), as run.py's PROGRAMS
PROGRAMS = {
    "tensors": (f"{_I}/02_Creating_and_Using_Tensors/02_tensors.py", {}, {}),
    "placeholders": (f"{_I}/03_Using_Variables_and_Placeholders/03_placeholders.py", {}, {}),
    # an eigenvector's sign is the library's choice (TF's Eigen solver and NumPy's LAPACK
    # choose differently): the vectors are printed with each column's first entry >= 0
    "matrices": (f"{_I}/04_Working_with_Matrices/04_matrices.py", {
        r"print\(sess\.run\(tf\.self_adjoint_eig\(D\)\)\)":
            "_e = sess.run(tf.self_adjoint_eig(D)); print(_e[0]); "
            "print(_e[1] * np.where(_e[1][0] < 0, -1, 1))"}, {}),
    "operations": (f"{_I}/05_Declaring_Operations/05_operations.py", {}, {}),
    "activation_functions": (
        f"{_I}/06_Implementing_Activation_Functions/06_activation_functions.py", {}, {}),
    "operations_on_a_graph": (
        f"{_W}/01_Operations_as_a_Computational_Graph/01_operations_on_a_graph.py", {}, {}),
    "layering_nested_operations": (
        f"{_W}/02_Layering_Nested_Operations/02_layering_nested_operations.py", {}, {}),
    "multiple_layers": (f"{_W}/03_Working_with_Multiple_Layers/03_multiple_layers.py", {}, {}),
    "loss_functions": (f"{_W}/04_Implementing_Loss_Functions/04_loss_functions.py", {}, {}),
    "back_propagation": (f"{_W}/05_Implementing_Back_Propagation/05_back_propagation.py",
                         {}, {}),
    "batch_stochastic_training": (
        f"{_W}/06_Working_with_Batch_and_Stochastic_Training/06_batch_stochastic_training.py",
        {}, {}),
    "combining_everything_together": (
        f"{_W}/07_Combining_Everything_Together/07_combining_everything_together.py", {}, {}),
    "evaluating_models": (f"{_W}/08_Evaluating_Models/08_evaluating_models.py", {}, {}),
    "lin_reg_inverse": (f"{_L}/01_Using_the_Matrix_Inverse_Method/01_lin_reg_inverse.py",
                        {}, {}),
    "lin_reg_decomposition": (
        f"{_L}/02_Implementing_a_Decomposition_Method/02_lin_reg_decomposition.py", {}, {}),
    "lin_reg_tensorflow_way": (
        f"{_L}/03_TensorFlow_Way_of_Linear_Regression/03_lin_reg_tensorflow_way.py", {}, {}),
    "lin_reg_l1_vs_l2": (
        f"{_L}/04_Loss_Functions_in_Linear_Regressions/04_lin_reg_l1_vs_l2.py", {}, {}),
    # an L1 loss at learning rate 0.15: a residual's sign, flipped by a float32 rounding
    # difference, moves the fit (step 750: A 1.0377 here, 1.0346 in TF, in float32); in
    # float64 every printed number agrees to 1e-9
    "deming_regression": (
        f"{_L}/05_Implementing_Deming_Regression/05_deming_regression.py", {}, {
            "float64": "an L1 loss's sign flips amplify float32 rounding; compared in "
                       "float64"}),
    "lasso_and_ridge_regression": (
        f"{_L}/06_Implementing_Lasso_and_Ridge_Regression/06_lasso_and_ridge_regression.py",
        {}, {}),
    "elasticnet_regression": (
        f"{_L}/07_Implementing_Elasticnet_Regression/07_elasticnet_regression.py", {}, {}),
    "logistic_regression": (f"{_L}/08_Implementing_Logistic_Regression/08_logistic_regression.py",
                            {**_BIRTH[0], **_NAN_TO_NUM}, _BIRTH[1]),
    "linear_svm": (f"{_S}/02_Working_with_Linear_SVMs/02_linear_svm.py", {}, {}),
    "support_vector_regression": (
        f"{_S}/03_Reduction_to_Linear_Regression/03_support_vector_regression.py", {}, {}),
    "svm_kernels": (f"{_S}/04_Working_with_Kernels/04_svm_kernels.py", {}, {}),
    "nonlinear_svm": (f"{_S}/05_Implementing_Nonlinear_SVMs/05_nonlinear_svm.py", {}, {}),
    "multiclass_svm": (f"{_S}/06_Implementing_Multiclass_SVMs/06_multiclass_svm.py", {}, {}),
    "text_distances": (f"{_K}/03_Working_with_Text_Distances/03_text_distances.py", {}, {}),
    "address_matching": (f"{_K}/05_An_Address_Matching_Example/05_address_matching.py",
                         {}, {}),
    "image_recognition": (
        f"{_K}/06_Nearest_Neighbors_for_Image_Recognition/06_image_recognition.py", {}, {}),
    "gates": (f"{_N}/02_Implementing_an_Operational_Gate/02_gates.py", {}, {}),
    "nn_activation_functions": (
        f"{_N}/03_Working_with_Activation_Functions/03_activation_functions.py", {}, {}),
    "single_hidden_layer_network": (
        f"{_N}/04_Single_Hidden_Layer_Network/04_single_hidden_layer_network.py", {}, {}),
    "implementing_different_layers": (
        f"{_N}/05_Implementing_Different_Layers/05_implementing_different_layers.py", {}, {}),
    # 2000 of the 10000 steps; the game against the model asks for the player's moves
    # with input(): the player takes the first free square
    "improving_linear_regression": (
        f"{_N}/07_Improving_Linear_Regression/07_improving_linear_regression.py",
        {**_BIRTH[0], **_NAN_TO_NUM}, _BIRTH[1]),
    "tic_tac_toe_moves": (f"{_N}/08_Learning_Tic_Tac_Toe/tic_tac_toe_moves.py", {
        r"for i in range\(10000\):": "for i in range(2000):",
        r"input\('Input index of your move \(0-8\): '\)":
            "[k for k, v in enumerate(game_tracker) if v == 0.0][0]"}, {
        "data": {f"{_N}/08_Learning_Tic_Tac_Toe/base_tic_tac_toe_moves.csv":
                 "base_tic_tac_toe_moves.csv"}}),
    # without its sleeps; the plot it puts in an image summary (matplotlib is a stand-in
    # here) is a fixed 2x2 PNG
    "using_tensorboard": (
        f"{_M}/01_Visualizing_Computational_Graphs/01_using_tensorboard.py", {
            r"time\.sleep\(\d*\.?\d*\)": "pass",
            r"plt\.savefig\(buf, format='png'\)": "buf.write(__import__('base64').b64decode("
            "'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAGklEQVR4nGNk4BCQUFBQUGBxcHBwUF"
            "BQUAAAEIgCNvLJhokAAAAASUVORK5CYII='))"}, {}),
    "genetic_algorithm": (f"{_M}/02_Working_with_a_Genetic_Algorithm/02_genetic_algorithm.py",
                          {}, {}),
    "k_means": (f"{_M}/03_Clustering_Using_KMeans/03_k_means.py", {}, {}),
    # it prints nothing (it plots the populations). Printing them shows TF's own values
    # changing from run to run (step 899's prey 0.5699378, then 0.56984246): its
    # tf.group(X.assign(X2), Y.assign(Y2)) races an assignment with the other update's
    # read of the same variable. ndgrad.tf's run reads the values from before the run,
    # the simultaneous Euler step, equal bit for bit to NumPy's (tests/tf/
    # test_cookbook_fixes.py); so it is run here without printing them
    "solving_ode_system": (f"{_M}/04_Solving_A_System_of_ODEs/04_solving_ode_system.py",
                           {}, {}),
}
