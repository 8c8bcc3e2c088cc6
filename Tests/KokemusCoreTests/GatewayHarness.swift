import Foundation

/// A small flow with every kind of step, used by the engine tests.
let visitFlow = """
    id: visit
    title: {fi: Käynti, sv: Besök, en: Visit}
    roles: [employee]
    triggers: {fi: [käynti], sv: [besök], en: [visit]}
    max_tries: 2
    on_too_many_tries: end
    help: {fi: "Kerro käynnin tiedot.", sv: "Berätta om besöket.", en: "Tell about the visit."}
    steps:
      - id: day
        ask: {fi: "Minä päivänä?", sv: "Vilken dag?", en: "Which day?"}
        expect: {type: date, not_past: true}
        help: {fi: "Esim. 8.12.", sv: "T.ex. 8.12.", en: "E.g. 8.12."}
        timeout:
          remind_after: 2h
          reminder: {fi: "Muistutus!", sv: "Påminnelse!", en: "Reminder!"}
          give_up_after: 6h
          then: escalate
      - id: count
        ask: {fi: "Montako?", sv: "Hur många?", en: "How many?"}
        expect: {type: integer, min: 1, max: 9}
        retry: {fi: "Numero 1-9.", sv: "Siffra 1-9.", en: "Number 1-9."}
      - id: sure
        ask: {fi: "Varmasti {count} kpl {day}?", sv: "Säkert {count} st {day}?", en: "Sure, {count} on {day}?"}
        expect: {type: yesno}
        timeout: {give_up_after: 1h, then: end}
        next:
          - if: sure == yes
            goto: done
          - goto: stopped
      - id: done
        say: {fi: "Valmis {name}.", sv: "Klart {name}.", en: "Done {name}."}
        end: true
      - id: stopped
        say: {fi: "Ei tallennettu.", sv: "Inte sparat.", en: "Not saved."}
    """
