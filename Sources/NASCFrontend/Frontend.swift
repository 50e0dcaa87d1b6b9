// Frontend: the entry point that turns a `.nas` source file into a ModelSpace.
import NASCIR
