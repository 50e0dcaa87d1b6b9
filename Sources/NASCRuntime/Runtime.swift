// Runtime: namespace for the executor, optimizers and training loop; each lives in its own file.
import NASCIR
import NASCKernels
