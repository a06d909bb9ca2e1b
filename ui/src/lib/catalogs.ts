// Everything the forms' selects need, loaded once per session by the Workspace.
import type { ReferenceData, Technician } from "./backend";

export type Catalogs = ReferenceData & { technicians: Technician[] };
