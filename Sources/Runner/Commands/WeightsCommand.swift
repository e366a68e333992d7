import ArgumentParser
import Framework

/// `zoorun weights FILE`: lists the tensors of a safetensors file without loading their data.
struct WeightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weights",
        abstract: "List the tensors in a safetensors file: name, dtype, shape and parameter count.",
        discussion: "The whole header is validated; a malformed file is reported with the tensor at fault."
    )

    @Argument(help: "A .safetensors file.")
    var file: String

    func run() throws {
        let header: SafeTensorsHeader
        do {
            header = try SafeTensors.readHeader(path: file)
        } catch {
            throw CleanExit.failure("zoorun: \(error)")
        }
        print(header.table(), terminator: "")
    }
}
