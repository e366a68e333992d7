import Testing
@testable import Framework

@Suite("Charts")
struct ChartTests {
    @Test func risingSeriesInkIsHigherOnTheRight() throws {
        let xs = (0..<50).map(Double.init)
        let plot = LinePlot(series: [.init(name: "accuracy", x: xs, y: xs.map { 0.5 + 0.01 * $0 })],
                            title: "rising", xLabel: "epoch", yLabel: "accuracy")
        let img = try plot.render()
        #expect(img.shape == [3, 500, 800])
        let ink = pixelsOf( img) { sameColor($0, RGBColor.series(0), 0.001) }
        #expect(ink.count > 200)
        let minX = ink.map(\.x).min()!, maxX = ink.map(\.x).max()!, third = (maxX - minX) / 3
        let leftY = ink.filter { $0.x < minX + third }.map { Double($0.y) }
        let rightY = ink.filter { $0.x > maxX - third }.map { Double($0.y) }
        let meanLeft = leftY.reduce(0, +) / Double(leftY.count), meanRight = rightY.reduce(0, +) / Double(rightY.count)
        // Image rows grow downwards: higher on the right means a smaller row index.
        #expect(meanRight < meanLeft - 100)
    }

    @Test func bandIsShaded() throws {
        let xs = (0..<30).map(Double.init)
        let mean = xs.map { 1 / ($0 + 1) }, std = xs.map { _ in 0.05 }
        func bandPixels(_ series: LinePlot.Series) throws -> Int {
            let img = try LinePlot(series: [series], legend: .hidden).render()
            // The band colour is the series colour at the style's alpha over white.
            let tint = RGBColor.white.mixed(with: RGBColor.series(0), PlotStyle.standard.bandAlpha)
            return pixelsOf( img) { sameColor($0, tint, 0.02) }.count
        }
        let with = try bandPixels(.init(name: "loss", x: xs, mean: mean, std: std))
        let without = try bandPixels(.init(name: "loss", x: xs, y: mean))
        // Without a band only the line's anti-aliased fringe passes for the tint.
        #expect(with > 2000)
        #expect(without < 300 && with > 10 * without)
    }

    @Test func lineSeriesValidateTheirLengths() {
        let bad = LinePlot(series: [.init(name: "s", x: [0, 1, 2], y: [0, 1])])
        #expect(throws: PlotError.invalidData(plot: "LinePlot", message: "series 's' has 3 x values and 2 y values")) {
            try bad.render()
        }
        #expect(throws: PlotError.self) { try LinePlot(width: 10, height: 10).render() }
        #expect(throws: PlotError.self) { try LinePlot(width: 100_000, height: 500).render() }
    }

    @Test func logXSkipsNonPositiveValuesAndEmptyPlotsStillDraw() throws {
        let plot = LinePlot(series: [.init(name: "s", x: [0, -1, 10, 100, 1000], y: [1, 2, 3, 4, 5], marker: .circle)], logX: true)
        let img = try plot.render()
        #expect(pixelsOf( img) { sameColor($0, RGBColor.series(0), 0.001) }.count > 50)
        let empty = try LinePlot(title: "nothing yet").render()
        #expect(inkedPixelCount(empty) > 100)
    }

    @Test func rocPlotDrawsTheChanceDiagonal() throws {
        let img = try ROCPlot(curves: [.init(name: "model", points: [(0, 0), (0.1, 0.7), (0.4, 0.9), (1, 1)], auc: 0.88)]).render()
        let chance = pixelsOf( img) { sameColor($0, RGBColor(gray: 0.55), 0.01) }
        // Dashed diagonal: many grey pixels, lying close to a rising line.
        #expect(chance.count > 150)
        let curve = pixelsOf( img) { sameColor($0, RGBColor.series(0), 0.001) }
        #expect(curve.count > 200)
    }

    @Test func scatterMarksEveryPointInItsGroupColourAndDrawsTheIdentityLine() throws {
        let a = ScatterPlot.Group(name: "bar", x: [0, 1], y: [0, 1])
        let b = ScatterPlot.Group(name: "spiral", x: [0.2, 0.8], y: [0.9, 0.1], marker: .square)
        let img = try ScatterPlot(groups: [a, b], identityLine: true).render()
        #expect(img.shape == [3, 640, 800])
        let first = pixelsOf(img) { sameColor($0, RGBColor.series(0), 0.001) }
        let second = pixelsOf(img) { sameColor($0, RGBColor.series(1), 0.001) }
        #expect(first.count > 20 && second.count > 20, "markers of both groups are drawn")
        // The second group's points are upper left and lower right: its ink spans both ways.
        #expect(second.map(\.x).max()! - second.map(\.x).min()! > 200)
        #expect(second.map(\.y).max()! - second.map(\.y).min()! > 200)
        let grey = pixelsOf(img) { sameColor($0, RGBColor(red: 0.5, green: 0.5, blue: 0.5), 0.02) }
        #expect(grey.count > 100, "the dashed y = x line")
        #expect(throws: PlotError.self) { try ScatterPlot(groups: [.init(name: "bad", x: [1, 2], y: [1])]).render() }
    }

    @Test func tallerBarsHaveMoreInk() throws {
        let chart = BarChart(categories: ["low", "high"], groups: [.init(name: "", values: [0.2, 0.8])], yRange: 0...1)
        let img = try chart.render()
        let bar = pixelsOf( img) { sameColor($0, RGBColor.series(0), 0.001) }
        let mid = (bar.map(\.x).min()! + bar.map(\.x).max()!) / 2
        let left = bar.filter { $0.x < mid }.count, right = bar.filter { $0.x > mid }.count
        #expect(Double(right) / Double(left) > 3.5 && Double(right) / Double(left) < 4.5)
    }

    @Test func groupedBarsUseOneColourPerGroupAndValidate() throws {
        let chart = BarChart(categories: ["a", "b", "c"],
                             groups: [.init(name: "m1", values: [0.5, 0.6, 0.7], errors: [0.05, 0.05, 0.05]),
                                      .init(name: "m2", values: [0.4, .nan, 0.9])],
                             showValues: true)
        let img = try chart.render()
        #expect(pixelsOf( img) { sameColor($0, RGBColor.series(0), 0.001) }.count > 1000)
        #expect(pixelsOf( img) { sameColor($0, RGBColor.series(1), 0.001) }.count > 1000)
        let bad = BarChart(categories: ["a", "b"], groups: [.init(name: "m", values: [1])])
        #expect(throws: PlotError.invalidData(plot: "BarChart", message: "group 'm' has 1 values for 2 categories")) {
            try bad.render()
        }
    }

    @Test func confusionHeatmapIsDarkerForLargerCounts() throws {
        for normalize in [true, false] {
            let plot = ConfusionMatrixPlot(matrix: [[90, 10], [30, 70]], classNames: ["no ring", "ring"], normalizeRows: normalize)
            let layout = try plot.layout()
            let img = try plot.render()
            // Sample a cell's corner, away from its centred count.
            func shade(_ r: Int, _ c: Int) -> Float {
                let box = layout.cellRect(r, c)
                return colorAt(img, box.x + 2, box.y + 2).luminance
            }
            #expect(shade(0, 0) < shade(1, 1))
            #expect(shade(1, 1) < shade(1, 0))
            #expect(shade(1, 0) < shade(0, 1))
            // Counts are printed: the dark cell has white ink inside it.
            let box = layout.cellRect(0, 0)
            let white = (box.y..<box.maxY).flatMap { y in (box.x..<box.maxX).map { (x: $0, y: y) } }
                .filter { colorAt(img, $0.x, $0.y).luminance > 0.95 }
            #expect(white.count > 20)
        }
    }

    @Test func confusionMatrixRejectsBadShapes() {
        #expect(throws: PlotError.self) { try ConfusionMatrixPlot(matrix: [[1, 2], [3]]).render() }
        #expect(throws: PlotError.self) { try ConfusionMatrixPlot(matrix: []).render() }
        #expect(throws: PlotError.self) { try ConfusionMatrixPlot(matrix: [[1, -1], [0, 1]]).render() }
        #expect(throws: PlotError.self) { try ConfusionMatrixPlot(matrix: [[1, 0], [0, 1]], classNames: ["one"]).render() }
    }

    @Test func imageGridSizeIsColumnsTimesTilesPlusMargins() throws {
        let tile = Image(channels: 1, height: 5, width: 7, pixels: [Float](repeating: 0.5, count: 35))
        let tiles = (0..<7).map { ImageGrid.Tile(image: tile, border: $0 == 0 ? .wrong : .correct) }
        let grid = ImageGrid(tiles: tiles, columns: 3, tileSize: 32, margin: 5, gap: 4, borderWidth: 2)
        let img = try grid.render()
        // 3 columns and ⌈7/3⌉ = 3 rows of (32 + 2·2) px, 2 gaps of 4 px, margins of 5 px.
        #expect(img.width == 2 * 5 + 3 * 36 + 2 * 4)
        #expect(img.height == 2 * 5 + 3 * 36 + 2 * 4)
        #expect(grid.size == (img.width, img.height))
        #expect(colorAt(img, 5, 5) == RGBColor.wrong)
        #expect(colorAt(img, 5 + 36 + 4, 5) == RGBColor.correct)
        #expect(sameColor(colorAt(img, 5 + 18, 5 + 18), RGBColor(gray: 0.5), 1e-6))
        // The eighth and ninth cells are empty background.
        #expect(colorAt(img, 5 + 2 * 40 + 18, 5 + 2 * 40 + 18) == RGBColor.white)
    }

    @Test func imageGridCaptionsAddRowsBelowEachTile() throws {
        let tile = Image(channels: 3, height: 4, width: 4)
        let plain = ImageGrid(tiles: [.init(image: tile)], columns: 1, tileSize: 64)
        let captioned = ImageGrid(tiles: [.init(image: tile, caption: "J1234+5678\np = 0.93")], columns: 1, tileSize: 64)
        #expect(captioned.size.height == plain.size.height + 3 + 2 * BitmapFont.lineHeight)
        let img = try captioned.render()
        let below = pixelsOf( img) { $0.luminance < 0.5 }.filter { $0.y > 12 + 70 }
        #expect(below.count > 30)
        #expect(throws: PlotError.self) { try ImageGrid(tiles: []).render() }
        #expect(throws: PlotError.self) { try ImageGrid(tiles: [.init(image: tile)], columns: 0).render() }
    }
}
