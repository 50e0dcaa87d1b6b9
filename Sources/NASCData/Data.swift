// Data: the NASCData module, data sets for training. Each loader and each processing step lives in its own file:
// Dataset (the value type), IDXLoader, CIFAR10Loader, CSVLoader, SyntheticData, ChannelNormalization, DatasetSplit,
// Batcher, Augmenter, DataSpec (named data sets such as "digits"), SampleShapeCheck and SeededGenerator.
import NASCIR
