"""Carriers behind one port (`port.Carrier`: rate, ship, void, track, manifest), through karrio.

`config` reads carriers.toml (accounts, rate sheets, credentials named by environment variable),
`generic` is a local carrier on Aisle's rate sheet (karrio-generic rates it; no network), `live` a karrio
carrier plugin, `registry` builds one `Carrier` per account. karrio itself is imported only when a carrier
first needs it (`karrio_loader`): importing this package, reading the file or choosing a service never
loads it.
"""
