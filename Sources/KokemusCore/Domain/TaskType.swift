/// The kinds of work an expert does (domain.md, "Task types").
public enum TaskType: String, Codable, CaseIterable, Sendable {
    /// yksilötyö: the expert meets the client alone.
    case individual
    /// työparityöskentely: the expert and a professional meet the client together.
    case pair
    /// ryhmänohjaus: a group run for an agreed number of sessions.
    case group
    /// luento, koulutus: the expert tells their story to professionals or clients.
    case lecture
    /// kehittämistyö: co-developing a service.
    case development
}
