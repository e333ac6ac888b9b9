//! NodePort allocation (`pkg/registry/core/service/portallocator/allocator.go` over the bitmap of
//! `pkg/registry/core/service/allocator/bitmap.go`).
//!
//! kind's range is the default `30000-32767` (2768 ports). `calculateRangeOffset` is
//! `min(max(16, size/32), 128)` = 86, so random ports come from 30086–32767 first and from
//! 30000–30085 only when those are taken. `pkg/registry/core/service/storage/alloc.go` reports
//! a failed request as `spec.ports[i].nodePort: Invalid value: <port>: <err>` and a failed
//! random allocation as `Internal error occurred: failed to allocate a nodePort: <err>`.

use std::fmt;

use super::bitmap::Bitmap;
use crate::apiserver::errors::{BadValue, FieldError, FieldPath, StatusError};
use crate::random::LabRng;

/// The default `--service-node-port-range` base.
pub const DEFAULT_NODE_PORT_BASE: i32 = 30000;
/// The default range size (30000–32767).
pub const DEFAULT_NODE_PORT_SIZE: i32 = 2768;

/// Why a node port could not be allocated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodePortError {
    /// `ErrFull`.
    Full,
    /// `ErrAllocated`.
    Allocated,
    /// `ErrNotInRange`, with the range as `net.PortRange.String()` prints it.
    NotInRange {
        /// e.g. `30000-32767`.
        valid_ports: String,
    },
}

impl fmt::Display for NodePortError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NodePortError::Full => f.write_str("range is full"),
            NodePortError::Allocated => f.write_str("provided port is already allocated"),
            NodePortError::NotInRange { valid_ports } => write!(
                f,
                "provided port is not in the valid range. The range of valid ports is {valid_ports}"
            ),
        }
    }
}

/// `calculateRangeOffset` (portallocator): `min(max(16, size/32), 128)`, 0 for 16 ports or fewer.
pub fn node_port_range_offset(size: usize) -> usize {
    if size <= 16 {
        0
    } else {
        (size / 32).clamp(16, 128)
    }
}

/// A node-port allocator over `base..base+size`.
#[derive(Clone, Debug)]
pub struct NodePortAllocator {
    base: i32,
    offset: usize,
    bitmap: Bitmap,
}

impl Default for NodePortAllocator {
    fn default() -> Self {
        Self::new(DEFAULT_NODE_PORT_BASE, DEFAULT_NODE_PORT_SIZE)
    }
}

impl NodePortAllocator {
    /// An allocator for `size` ports from `base` (negative sizes count as empty).
    pub fn new(base: i32, size: i32) -> Self {
        let size = usize::try_from(size).unwrap_or(0);
        NodePortAllocator {
            base,
            offset: node_port_range_offset(size),
            bitmap: Bitmap::new(size),
        }
    }

    /// The range as `net.PortRange.String()` prints it, e.g. `30000-32767`.
    pub fn range(&self) -> String {
        if self.bitmap.size() == 0 {
            return String::new();
        }
        let last = i64::from(self.base) + self.bitmap.size() as i64 - 1;
        format!("{}-{last}", self.base)
    }

    /// The size of the lower subrange random allocation avoids (86 for the default range).
    pub fn range_offset(&self) -> usize {
        self.offset
    }

    /// Allocated ports.
    pub fn used(&self) -> usize {
        self.bitmap.count()
    }

    /// Free ports.
    pub fn free(&self) -> usize {
        self.bitmap.size().saturating_sub(self.used())
    }

    fn index(&self, port: i32) -> Option<usize> {
        let i = i64::from(port) - i64::from(self.base);
        usize::try_from(i).ok().filter(|&i| i < self.bitmap.size())
    }

    /// Reserves a requested port (`Allocate`).
    pub fn allocate(&mut self, port: i32) -> Result<(), NodePortError> {
        let i = self.index(port).ok_or_else(|| NodePortError::NotInRange {
            valid_ports: self.range(),
        })?;
        if self.bitmap.set(i) {
            Ok(())
        } else {
            Err(NodePortError::Allocated)
        }
    }

    /// Allocates a random free port, upper subrange first (`AllocateNext`).
    pub fn allocate_next(&mut self, rng: &mut LabRng) -> Result<i32, NodePortError> {
        let i = self
            .bitmap
            .allocate_random(rng, self.offset)
            .ok_or(NodePortError::Full)?;
        let i = i32::try_from(i).map_err(|_| NodePortError::Full)?;
        self.base.checked_add(i).ok_or(NodePortError::Full)
    }

    /// Frees a port; out-of-range or free ports are a no-op (`Release`).
    pub fn release(&mut self, port: i32) -> bool {
        match self.index(port) {
            Some(i) => self.bitmap.clear(i),
            None => false,
        }
    }

    /// Whether a port is allocated.
    pub fn has(&self, port: i32) -> bool {
        self.index(port).is_some_and(|i| self.bitmap.get(i))
    }
}

/// The field error for a requested node port of `spec.ports[index]` that failed.
pub fn node_port_field_error(index: usize, port: i32, err: &NodePortError) -> FieldError {
    FieldError::invalid(
        &FieldPath::new("spec")
            .child("ports")
            .index(index)
            .child("nodePort"),
        BadValue::Int(i64::from(port)),
        &err.to_string(),
    )
}

/// The API error for a requested node port that failed (`initNodePorts`).
pub fn static_node_port_error(
    service_name: &str,
    index: usize,
    port: i32,
    err: &NodePortError,
) -> StatusError {
    StatusError::invalid(
        "",
        "Service",
        service_name,
        &[node_port_field_error(index, port, err)],
    )
}

/// The API error for a random node port allocation that failed.
pub fn dynamic_node_port_error(err: &NodePortError) -> StatusError {
    StatusError::internal(&format!("failed to allocate a nodePort: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::errors::kubectl_error_output;

    #[test]
    fn default_range_and_offset() {
        let a = NodePortAllocator::default();
        assert_eq!(a.range(), "30000-32767");
        assert_eq!(a.range_offset(), 86);
        assert_eq!(node_port_range_offset(100), 16);
        assert_eq!(node_port_range_offset(10_000), 128);
        assert_eq!(node_port_range_offset(16), 0);
        assert_eq!(NodePortAllocator::new(30000, -5).range(), "");
    }

    #[test]
    fn random_ports_avoid_the_lower_86_until_the_rest_is_taken() {
        let mut rng = LabRng::from_seed(9);
        let mut a = NodePortAllocator::default();
        let ports: Vec<i32> = (0..2768)
            .map(|_| a.allocate_next(&mut rng).unwrap_or_else(|e| panic!("{e}")))
            .collect();
        assert!(ports.iter().take(2682).all(|p| (30086..=32767).contains(p)));
        assert!(ports.iter().skip(2682).all(|p| (30000..=30085).contains(p)));
        assert_eq!(a.allocate_next(&mut rng), Err(NodePortError::Full));
        assert_eq!(
            kubectl_error_output(&dynamic_node_port_error(&NodePortError::Full), None),
            "Error from server (InternalError): Internal error occurred: failed to allocate a nodePort: range is full\n"
        );
    }

    #[test]
    fn requested_ports() {
        let mut a = NodePortAllocator::default();
        assert_eq!(a.allocate(30080), Ok(()));
        assert!(a.has(30080));
        assert_eq!(a.allocate(30080), Err(NodePortError::Allocated));
        assert!(matches!(
            a.allocate(8080),
            Err(NodePortError::NotInRange { .. })
        ));
        assert!(matches!(
            a.allocate(i32::MIN),
            Err(NodePortError::NotInRange { .. })
        ));
        assert!(matches!(
            a.allocate(32768),
            Err(NodePortError::NotInRange { .. })
        ));
        assert!(a.release(30080));
        assert!(!a.release(30080));
        assert!(!a.release(80));
        assert_eq!(a.allocate(30080), Ok(()));

        // KUBERNETES.md §4.3, output seen in the wild.
        let out_of_range = static_node_port_error(
            "web",
            0,
            8080,
            &NodePortError::NotInRange {
                valid_ports: a.range(),
            },
        );
        assert_eq!(
            kubectl_error_output(&out_of_range, Some(("creating", "svc.yaml"))),
            "The Service \"web\" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767\n"
        );
        let taken =
            static_node_port_error("sample-nodeport-fail", 0, 30080, &NodePortError::Allocated);
        assert_eq!(
            kubectl_error_output(&taken, None),
            "The Service \"sample-nodeport-fail\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated\n"
        );
    }

    #[test]
    fn the_same_seed_allocates_the_same_ports() {
        let run = |seed| {
            let mut rng = LabRng::from_seed(seed);
            let mut a = NodePortAllocator::default();
            (0..20)
                .map(|_| a.allocate_next(&mut rng))
                .collect::<Vec<_>>()
        };
        assert_eq!(run(5), run(5));
        assert_ne!(run(5), run(6));
    }
}
