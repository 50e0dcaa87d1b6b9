// Placeholder so the target builds; tests arrive with the target's code.
import Testing
