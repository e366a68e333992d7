import ArgumentParser
import Foundation
import Framework

/// `zoorun simulate`: look at the simulator, or export its galaxies as a catalog for other tools.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Draw simulated galaxies: a labelled gallery PNG, or a catalog (PNG or FITS + CSV).",
        discussion: """
          zoorun simulate --n 64 --gallery gallery.png
          zoorun simulate --n 1000 --catalog sims/            sims/catalog.csv + sims/images/*.png
          zoorun simulate --n 100 --catalog sims/ --format fits   g, r, z bands in nanomaggies
        The catalog has id_str, file_loc, every truth label and the GZ DECaLS vote counts, the
        bar and spiral masks (support and light fraction: masks/<id>_<mask>.png in <mask>_mask_loc
        columns) and the clump boxes (boxes.csv), so it runs through
        `data: {kind: catalog, masks: [bar, spiral], boxes: boxes.csv}` like any survey catalog.
        The catalog folder must be new, empty or an earlier zoorun catalog; an existing
        gallery file or catalog is replaced only with --overwrite.
        """
    )

    @Option(help: "Number of galaxies.") var n = 64
    @Option(help: "Seed of the simulated universe.") var seed: UInt64 = 0
    @Option(help: "Image side in pixels.") var size = 64
    @Option(help: "Write a gallery grid to this PNG.") var gallery: String?
    @Option(help: "Columns of the gallery.") var columns = 8
    @Option(help: "Write a catalog (CSV + images) into this folder.") var catalog: String?
    @Option(help: "Image format of the catalog: png (RGB) or fits (g, r, z bands).") var format = "png"
    @Flag(help: "Leave out the masks and boxes (images, labels and votes only).") var noTargets = false
    @Option(help: "Simulated volunteers drawing GZ3D-style masks, exported as bar_volunteers and spiral_volunteers (0: none).") var maskVolunteers = 0
    @Flag(help: "Replace an existing gallery file or catalog folder.") var overwrite = false

    func validate() throws {
        guard n > 0 else { throw ValidationError("--n must be positive") }
        guard gallery != nil || catalog != nil else { throw ValidationError("give --gallery FILE.png and/or --catalog FOLDER") }
        guard ["png", "fits"].contains(format) else { throw ValidationError("--format must be png or fits") }
    }

    func run() throws {
        do {
            if let gallery { try OutputFile.check(gallery, overwrite: overwrite, option: "--gallery") }
            let folder = try catalog.map { try OutputFolder.claim($0, kind: .catalog, existing: overwrite ? .overwrite : .refuse, option: "--catalog") }
            defer { folder?.release() }
            try simulate()
        } catch let e as OutputError {
            throw CleanExit.failure(e.description)
        }
    }

    func simulate() throws {
        var options = SimulatorOptions()
        options.imageSize = size
        options.maskVolunteers = maskVolunteers
        let rgb = try SimulatedGalaxies(seed: seed, count: n, options: options)
        if let gallery {
            try PNGCodec.write(rgb.gallery(count: n, columns: columns), to: gallery)
            print("wrote \(gallery) (\(n) galaxies)")
        }
        guard let folder = catalog else { return }
        if format == "fits" { options.output = .bands }
        let data = try SimulatedGalaxies(seed: seed, count: n, options: options)
        // A line every few seconds with the rate, readable in a terminal and in a log file.
        var progress = ProgressLine(label: "zoorun: simulate", total: n) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        try data.writeCatalog(to: folder, format: format == "fits" ? .fits : .png, targets: !noTargets) { done in
            progress.update(done)
        }
        print("wrote \(folder)/catalog.csv and \(n) \(format.uppercased()) images"
              + (noTargets ? "" : ", their masks (\(data.maskNames.joined(separator: ", "))) and boxes.csv"))
    }
}
