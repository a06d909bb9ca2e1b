//! Reports written to a file the person chose: the monthly consolidated list of movements
//! (CSV, for Patrimonio).

use chaski_core::error::ErrorCode;
use chaski_store::Store;

use crate::error::IpcError;
use crate::files::path_error;

/// Writes the monthly consolidated list (CSV, UTF-8 with BOM) to `path`; returns the path.
pub fn write_monthly_csv(
    store: &Store,
    year: i32,
    month: u32,
    path: &str,
) -> Result<String, IpcError> {
    let path = path.trim();
    if path.is_empty() {
        return Err(path_error(
            ErrorCode::CampoRequerido,
            "Indique dónde guardar el archivo CSV.",
        ));
    }
    let bytes = store.monthly_movements_csv(year, month)?;
    std::fs::write(path, bytes).map_err(|err| {
        path_error(
            ErrorCode::ErrorAlmacenamiento,
            format!(
                "No se pudo guardar {path} ({err}). Elija otra carpeta o revise el espacio en \
                 disco."
            ),
        )
    })?;
    Ok(path.to_string())
}
