// Tool: shared plumbing for the CLI verbs (reading inputs by extension, printing diagnostics).
import NASCIR
