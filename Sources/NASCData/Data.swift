// Data: namespace for data sets and their processing; each loader lives in its own file.
import NASCIR
