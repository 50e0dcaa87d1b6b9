// Experiment: namespace for experiments (store, trials, resume); each part lives in its own file.
import NASCIR
