//! Every provider's `Connector` implementation has the same shape: a struct holding its
//! `api`, `page_size` and `batch_size`, and one module function per operation. This macro
//! writes that delegation once, so each provider names only its own functions.

/// `connector_impl!(Type, ProviderId::X, objects = f, describe = f, read = f, lookup = f,
/// reread = f, write = f, deleted_since = f, archive = f)`; every `f` is an async function taking the
/// provider struct first (`objects` is a plain function returning the list).
macro_rules! connector_impl {
    ($ty:ty, $provider:expr, objects = $objects:path, describe = $describe:path, read = $read:path,
     lookup = $lookup:path, reread = $reread:path, write = $write:path, deleted_since = $deleted:path, archive = $archive:path) => {
        #[async_trait::async_trait]
        impl $crate::connector::Connector for $ty {
            fn provider(&self) -> switchyard_store::kinds::ProviderId {
                $provider
            }

            fn calls(&self) -> u64 {
                self.api.calls()
            }

            fn page_size(&self) -> usize {
                self.page_size
            }

            fn batch_size(&self) -> usize {
                self.batch_size
            }

            fn read_lookback(&self) -> chrono::Duration {
                self.read_lookback
            }

            async fn objects(
                &self,
            ) -> Result<Vec<$crate::schema::ObjectSummary>, $crate::connector::ConnectorError> {
                Ok($objects())
            }

            async fn describe(
                &self,
                object: &str,
            ) -> Result<$crate::schema::ObjectSpec, $crate::connector::ConnectorError> {
                $describe(self, object).await
            }

            async fn read(
                &self,
                spec: &$crate::schema::ObjectSpec,
                request: &$crate::connector::ReadRequest,
            ) -> Result<$crate::connector::Page, $crate::connector::ConnectorError> {
                $read(self, spec, request).await
            }

            async fn lookup(
                &self,
                spec: &$crate::schema::ObjectSpec,
                field: &str,
                values: &[String],
                fields: &[String],
            ) -> Result<Vec<$crate::value::Record>, $crate::connector::ConnectorError> {
                $lookup(self, spec, field, values, fields).await
            }

            async fn reread(
                &self,
                spec: &$crate::schema::ObjectSpec,
                ids: &[String],
                fields: &[String],
            ) -> Result<Vec<$crate::value::Record>, $crate::connector::ConnectorError> {
                $reread(self, spec, ids, fields).await
            }

            async fn write(
                &self,
                spec: &$crate::schema::ObjectSpec,
                op: &$crate::connector::WriteOp,
                rows: &[$crate::connector::WriteRow<'_>],
            ) -> Result<Vec<$crate::connector::WriteResult>, $crate::connector::ConnectorError>
            {
                $write(self, spec, op, rows).await
            }

            async fn deleted_since(
                &self,
                spec: &$crate::schema::ObjectSpec,
                since: Option<chrono::DateTime<chrono::Utc>>,
            ) -> Result<Vec<String>, $crate::connector::ConnectorError> {
                $deleted(self, spec, since).await
            }

            async fn archive(
                &self,
                spec: &$crate::schema::ObjectSpec,
                ids: &[String],
            ) -> Result<Vec<$crate::connector::WriteResult>, $crate::connector::ConnectorError>
            {
                $archive(self, spec, ids).await
            }
        }
    };
}

pub(crate) use connector_impl;
