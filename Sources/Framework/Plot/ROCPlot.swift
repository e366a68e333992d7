import Foundation

/// Receiver-operating-characteristic curves (false- against true-positive rate) on the unit
/// square, with the chance diagonal and each curve's AUC in the legend.
public struct ROCPlot: Sendable {
    /// One classifier's curve.
    public struct Curve: Sendable {
        public var name: String
        /// (false-positive rate, true-positive rate) points, as `ClassificationMetrics.rocCurve` gives them.
        public var points: [(fpr: Double, tpr: Double)]
        /// Shown after the name as "AUC = 0.934" when given.
        public var auc: Double?
        public var color: RGBColor?

        public init(name: String, points: [(fpr: Double, tpr: Double)], auc: Double? = nil, color: RGBColor? = nil) {
            self.name = name
            self.points = points
            self.auc = auc
            self.color = color
        }
    }

    public var curves: [Curve]
    public var title: String
    public var legend: LegendPosition
    public var width: Int
    public var height: Int
    public var style: PlotStyle

    public init(curves: [Curve], title: String = "ROC curve", legend: LegendPosition = .lowerRight,
                width: Int = 800, height: Int = 500, style: PlotStyle = .standard) {
        self.curves = curves
        self.title = title
        self.legend = legend
        self.width = width
        self.height = height
        self.style = style
    }

    /// The chart as a 3×height×width image.
    public func render() throws -> Image {
        var series = curves.enumerated().map { k, c in
            LinePlot.Series(name: c.auc.map { "\(c.name) (AUC = \(String(format: "%.3f", $0)))" } ?? c.name,
                            x: c.points.map(\.fpr), y: c.points.map(\.tpr), color: c.color ?? RGBColor.series(k))
        }
        series.insert(LinePlot.Series(name: "chance", x: [0, 1], y: [0, 1], color: RGBColor(gray: 0.55),
                                      lineWidth: 1.5, dash: [7, 5]), at: 0)
        let plot = LinePlot(series: series, title: title, xLabel: "false positive rate", yLabel: "true positive rate",
                            xRange: 0...1, yRange: 0...1, legend: legend, width: width, height: height, style: style)
        return try plot.render()
    }
}
