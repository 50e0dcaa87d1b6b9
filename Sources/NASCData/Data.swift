// Data: the NASCData module, data sets for training. Each loader and each processing step lives in its own file:
// Dataset (the value type), IDXLoader, CIFAR10Loader, CSVLoader, SyntheticData, ChannelNormalization, DatasetSplit,
// Batcher, Augmenter, BatchLoader (epoch iterator), DataSpec (named data sets such as "digits"), SampleShapeCheck,
// DataFile (file access with diagnostics) and SeededGenerator.
import NASCIR
