// Strategies: namespace for the search strategies; each strategy lives in its own file.
import NASCIR
