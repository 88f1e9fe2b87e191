import MigCore
import MigReport
import Testing

@Suite struct FindingReportTests {
    @Test func formatsAreNamedAsDesignSaysForFormat() {
        #expect(FindingFormat.allCases.map(\.rawValue) == ["text", "json", "sarif", "junit", "github", "gitlab"])
    }

    @Test(arguments: FindingFormat.allCases)
    func colorsOverloadMatchesDefaultOptions(_ format: FindingFormat) {
        #expect(FindingReport.render(Samples.all, as: format, colors: false)
                == FindingReport.render(Samples.all, as: format, options: ReportOptions()))
    }

    @Test func colorsReachTheTextFormat() {
        let painted = FindingReport.render([Samples.modified], as: .text, options: ReportOptions(colors: true))
        #expect(painted.contains("\u{1B}[1;31merror\u{1B}[0m"))
        #expect(FindingReport.render([Samples.modified], as: .json, options: ReportOptions(colors: true))
                == FindingReport.render([Samples.modified], as: .json))
    }
}
