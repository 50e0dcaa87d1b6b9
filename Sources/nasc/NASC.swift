// The `nasc` command: the root of the verbs, one file per verb.
import ArgumentParser

@main
struct NASC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nasc",
        abstract: "A neural architecture search compiler and runtime.",
        subcommands: []
    )
}
