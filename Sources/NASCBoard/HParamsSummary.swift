// HParamsSummary: the HParams plugin's summaries (experiment, session_start_info, session_end_info), which make
// TensorBoard's HParams dashboard list every trial's decisions against its metrics.
import Foundation
import SwiftProtobuf

/// A hyperparameter value (here: the value of an architecture decision).
public enum HParamValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)

    var proto: Google_Protobuf_Value {
        switch self {
        case .string(let s): return Google_Protobuf_Value(stringValue: s)
        case .number(let d): return Google_Protobuf_Value(numberValue: d)
        case .bool(let b): return Google_Protobuf_Value(boolValue: b)
        }
    }
}

/// Builds the HParams plugin's summaries (tags `_hparams_/experiment`, `_hparams_/session_start_info`,
/// `_hparams_/session_end_info`; plugin `hparams`, data version 0; value: an empty float tensor).
public enum HParamsSummary {
    /// One hyperparameter of the experiment with its possible values (a discrete domain), if known.
    public struct Info: Sendable {
        public var name: String
        public var values: [HParamValue]
        /// Creates a hyperparameter description.
        public init(name: String, values: [HParamValue]) { self.name = name; self.values = values }
    }

    /// How a session (trial) ended.
    public enum Status: Sendable {
        case success, failure, running
    }

    /// The experiment summary: every hyperparameter with its domain and every metric tag (read from each session's
    /// own run, so group is empty).
    public static func experiment(name: String, hparams: [Info], metrics: [(tag: String, description: String)],
                                  created: Double) -> Tensorboard_Summary {
        var e = Tensorboard_Hparams_Experiment()
        e.name = name
        e.timeCreatedSecs = created
        e.hparamInfos = hparams.map { h in
            var info = Tensorboard_Hparams_HParamInfo()
            info.name = h.name
            info.type = dataType(of: h.values)
            if !h.values.isEmpty {
                info.domainDiscrete = Google_Protobuf_ListValue(values: h.values.map(\.proto))
            }
            return info
        }
        e.metricInfos = metrics.map { m in
            var info = Tensorboard_Hparams_MetricInfo()
            info.name.tag = m.tag
            info.description_p = m.description
            info.datasetType = .datasetValidation
            return info
        }
        var data = Tensorboard_Hparams_HParamsPluginData()
        data.experiment = e
        return summary(tag: "_hparams_/experiment", data)
    }

    /// The start of a session: its hyperparameter values. `group` groups repeated sessions of one configuration.
    public static func sessionStart(hparams: [String: HParamValue], group: String = "", started: Double) -> Tensorboard_Summary {
        var s = Tensorboard_Hparams_SessionStartInfo()
        s.hparams = hparams.mapValues(\.proto)
        s.groupName = group
        s.startTimeSecs = started
        var data = Tensorboard_Hparams_HParamsPluginData()
        data.sessionStartInfo = s
        return summary(tag: "_hparams_/session_start_info", data)
    }

    /// The end of a session.
    public static func sessionEnd(_ status: Status, ended: Double) -> Tensorboard_Summary {
        var s = Tensorboard_Hparams_SessionEndInfo()
        switch status {
        case .success: s.status = .success
        case .failure: s.status = .failure
        case .running: s.status = .running
        }
        s.endTimeSecs = ended
        var data = Tensorboard_Hparams_HParamsPluginData()
        data.sessionEndInfo = s
        return summary(tag: "_hparams_/session_end_info", data)
    }

    /// The declared type of a domain: float64 when every value is a number, bool when every value is a bool,
    /// string otherwise.
    static func dataType(of values: [HParamValue]) -> Tensorboard_Hparams_DataType {
        if !values.isEmpty, values.allSatisfy({ if case .number = $0 { return true } else { return false } }) { return .float64 }
        if !values.isEmpty, values.allSatisfy({ if case .bool = $0 { return true } else { return false } }) { return .bool }
        return .string
    }

    static func summary(tag: String, _ data: Tensorboard_Hparams_HParamsPluginData) -> Tensorboard_Summary {
        var data = data
        data.version = 0
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        var value = Tensorboard_Summary.Value()
        value.tag = tag
        value.metadata.pluginData.pluginName = "hparams"
        value.metadata.pluginData.content = (try? data.serializedData(options: options)) ?? Data()
        // The plugin's null tensor: an empty DT_FLOAT vector.
        var tensor = Tensorboard_TensorProto()
        tensor.dtype = 1
        var dim = Tensorboard_TensorShapeProto.Dim()
        dim.size = 0
        tensor.tensorShape.dim = [dim]
        value.tensor = tensor
        var s = Tensorboard_Summary()
        s.value = [value]
        return s
    }
}
